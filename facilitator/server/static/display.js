// The projector page: connects to /display (read-only), renders the public snapshot large, and
// runs the item countdown and the speaking timer locally between snapshots.
"use strict";

(() => {
  const PROTOCOL = 1;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  const lang = ["zh-Hant", "zh-Hans", "en"].includes(params.get("lang")) ? params.get("lang") : "zh-Hant";
  let catalog = {};
  let state = null;

  function t(key, values) {
    const found = catalog[key];
    const message = found !== undefined ? found : key;
    // {name}, or {name|one|other}: the word for a number (catalog.py explains).
    return message.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}|]*)\|([^{}|]*))?\}/g,
      (all, name, one, other) => {
        if (!values || !(name in values)) return all;
        if (other === undefined) return String(values[name]);
        return String(values[name]) === "1" ? one : other;
      });
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // participant text is always text, never HTML
    return node;
  }

  function clock(seconds) {
    const sign = seconds < 0 ? "-" : "";
    const s = Math.abs(Math.round(seconds));
    return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  function since(iso) {
    return iso ? (Date.now() - Date.parse(iso)) / 1000 : 0;
  }

  function optionLabel(poll, option) {
    return poll.kind === "yes_no_abstain" ? t(`term.vote.${option}`) : option;
  }

  // Bars are scaled to the voters (a bar's length is its share of them), each with its count
  // and percentage; a secret ballot that hides its running counts shows only how many voted.
  function pollBlock(poll, closed) {
    const box = [el("h2", "", poll.question)];
    if (closed && poll.outcome) {
      const passed = poll.outcome === "passed";
      const colon = lang === "en" ? ": " : "：";
      box.push(el("p", `outcome ${passed ? "passed" : "other"}`,
        t("display.decision") + colon + PhonePoll.outcomeText(t, poll)));
    }
    if (poll.totals) {
      poll.options.forEach((option, i) => {
        const count = poll.totals[i];
        const share = poll.voters ? Math.round((100 * count) / poll.voters) : 0;
        const won = closed && poll.winner === option;
        const row = el("div", won ? "bar-row won" : "bar-row");
        const bar = el("div", "bar");
        const fill = el("span");
        fill.style.width = `${share}%`;
        bar.append(fill);
        row.append(el("span", "label", optionLabel(poll, option)), bar,
          el("span", "count", t("display.poll.share", { count, share })));
        box.push(row);
      });
    } else {
      box.push(el("p", "hidden-tally", t("display.poll.tally_hidden")));
    }
    const present = closed && poll.quorum ? poll.quorum.present : state.present;
    box.push(el("p", "voters", t("display.poll.voters", { voters: poll.voters, present })));
    const rule = el("p", "rule", PhonePoll.thresholdText(t, poll));
    box.push(rule);
    const quorum = PhonePoll.quorumLine(t, poll);
    if (quorum) box.push(el("p", poll.quorum.met ? "quorum met" : "quorum short", quorum));
    return box;
  }

  function render() {
    if (!state) return;
    document.title = state.session.title;
    $("title").textContent = state.session.title;
    const closed = state.session.phase === "closed";
    // Once the session has ended nobody should scan in: the join panel goes, the outcome stays.
    $("join").hidden = closed;
    $("wall").classList.toggle("ended", closed);
    $("item").textContent = closed ? t("display.closed")
      : state.item ? `${state.item.number}. ${state.item.title}` : t("display.item.none");
    $("present").textContent = t("display.present", { present: state.present });
    if (state.join) {
      $("join-url").textContent = state.join.url;
      $("numeric").textContent = state.join.numeric_code;
    }
    const poll = state.poll || state.last_poll;
    $("poll").hidden = !poll;
    if (poll) $("poll").replaceChildren(...pollBlock(poll, !state.poll));
    const issues = state.issues.slice(0, poll ? 3 : 6); // fewer beside a decision
    $("issues").hidden = !issues.length || Boolean(state.poll) || closed;
    const list = el("ol");
    for (const issue of issues) {
      list.append(el("li", "", t("display.issue", { text: issue.text, supports: issue.supports })));
    }
    $("issues").replaceChildren(el("h2", "", t("display.issues")), list);
    tick();
  }

  // Timers move every second without waiting for a snapshot.
  function tick() {
    if (!state) return;
    const item = state.item;
    const box = item && item.time_box_s && state.session.phase !== "closed";
    $("countdown").hidden = !box;
    if (box) {
      const running = item.status === "active" ? since(item.started_at) : 0;
      const left = item.time_box_s - (item.elapsed_before_s + running);
      $("countdown").textContent = clock(left);
      $("countdown").classList.toggle("over", left < 0);
    }
    const speaker = state.speaker;
    $("speaker").hidden = !speaker;
    if (speaker) {
      const used = since(speaker.started_at);
      const timer = el("span", used > speaker.limit_s ? "clock over" : "clock", clock(speaker.limit_s - used));
      $("speaker").replaceChildren(el("span", "", t("display.speaking", { name: speaker.name })), timer);
    }
  }

  async function start() {
    catalog = await (await fetch(`/i18n/${lang}.json`)).json();
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    $("qr").alt = t("display.join.qr_alt");
    let config = {};
    try { config = JSON.parse(document.getElementById("config").textContent); } catch (e) { /* an older server */ }
    const socket = io("/display", {
      path: config.socket || "/socket.io",
      auth: { v: PROTOCOL, lang },
      transports: ["websocket", "polling"], // as the phone page: a websocket first
      tryAllTransports: true,
    });
    socket.on("state", (snapshot) => {
      if (state && snapshot.seq < state.seq) return;
      state = snapshot;
      render();
    });
    const status = (key) => { $("status").hidden = !key; $("status").textContent = key ? t(key) : ""; };
    // As the phone page does (app.js): down for 3 s, ask the fallback where the session is now;
    // served by another process, go to its projector page (/d/CODE leads there).
    let downSince = null;
    let moving = false;
    socket.on("connect", () => { downSince = null; status(null); });
    socket.on("disconnect", () => { if (downSince === null) downSince = Date.now(); status("display.reconnecting"); });
    socket.on("connect_error", () => { if (downSince === null) downSince = Date.now(); });
    setInterval(async () => {
      if (socket.connected || moving || !config.code || downSince === null) return;
      if (Date.now() - downSince < 3000) return;
      try {
        const answer = await (await fetch(`${config.fallback || ""}/live/${encodeURIComponent(config.code)}`, { cache: "no-store" })).json();
        if (!answer.live || !answer.url || socket.connected) return;
        const target = new URL(answer.url, window.location.href);
        if (target.origin === window.location.origin) return; // ours is back: socket.io reconnects
        moving = true;
        window.location.replace(`${target.origin}/d/${encodeURIComponent(config.code)}${window.location.search}`);
      } catch (e) { /* nobody answers yet */ }
    }, 1000);
    setInterval(tick, 1000);
  }

  start().catch(() => {});
})();
