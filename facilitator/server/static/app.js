// The phone page: connects to /participant, keeps a device token, sends requests with ids and
// renders whole snapshots. See docs/protocol.md for every event.
"use strict";

(() => {
  const PROTOCOL = 1;
  const LANGS = ["zh-Hant", "zh-Hans", "en"];
  const $ = (id) => document.getElementById(id);
  const store = window.localStorage;

  function randomHex(bytes) {
    const buf = new Uint8Array(bytes);
    crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The server tells the page its session's code and where to look for the session should this
  // process stop answering (route_pages.py); absent on an older server.
  const config = (() => {
    try { return JSON.parse($("config").textContent); } catch (e) { return {}; }
  })();
  // A phone sent here from a process that died brings its token and language in the fragment
  // (another origin has another localStorage). Taken only by a phone that has no token here yet,
  // so a link cannot swap the identity of a phone that already took part; then removed.
  const carried = new URLSearchParams(window.location.hash.slice(1));
  if (carried.has("device")) {
    const brought = carried.get("device");
    if (/^[A-Za-z0-9_-]{16,128}$/.test(brought) && !store.getItem("facilitator.device")) {
      store.setItem("facilitator.device", brought);
      if (LANGS.includes(carried.get("lang"))) store.setItem("facilitator.lang", carried.get("lang"));
    }
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  // The device token is this phone's identity: same token, same participant, same ballot.
  let token = store.getItem("facilitator.device");
  if (!token) {
    token = randomHex(24);
    store.setItem("facilitator.device", token);
  }
  // A language the resident chose is remembered; otherwise the browser's languages decide
  // (the server matches them: zh-TW -> Traditional, zh-CN -> Simplified, en-GB -> English).
  const chosen = store.getItem("facilitator.lang");
  let lang = LANGS.includes(chosen) ? chosen : (navigator.languages || [navigator.language])
    .filter(Boolean).join(",") || "zh-Hant";

  let catalog = {};
  let state = null;
  let me = { joined: false };
  let everConnected = false;
  let seenPoll = null; // the open poll last shown, to bring a new one into view
  const ui = { confirmWithdraw: null, pending: {} }; // screen state that is not the server's

  function t(key, params) {
    const found = catalog[key];
    const message = found !== undefined ? found : key;
    // {name}, or {name|one|other}: the word for a number (catalog.py explains).
    return message.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}|]*)\|([^{}|]*))?\}/g,
      (all, name, one, other) => {
        if (!params || !(name in params)) return all;
        if (other === undefined) return String(params[name]);
        return String(params[name]) === "1" ? one : other;
      });
  }

  async function loadCatalog(code) {
    const response = await fetch(`/i18n/${encodeURIComponent(code)}.json`);
    catalog = await response.json();
    const matched = response.headers.get("Content-Language");
    lang = LANGS.includes(matched) ? matched : "zh-Hant";
    document.documentElement.lang = lang;
    $("lang").value = lang;
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    fillCategories();
  }

  function showStatus(key) {
    const box = $("status");
    box.hidden = !key;
    box.textContent = key ? t(key) : "";
  }

  function showError(code, message) {
    const known = catalog[`error.${code}`] !== undefined;
    $("error-text").textContent = message || (known ? t(`error.${code}`) : t("error.fallback", { code }));
    // A sign-out by the moderator is news, not a failure of what the resident did.
    $("error").querySelector(".error-title").textContent =
      t(code === "revoked" ? "phone.me.signed_out" : "phone.error.title");
    $("error").hidden = false;
    $("error").dataset.code = code;
    $("error").scrollIntoView({ block: "nearest" });
  }

  const socket = io("/participant", {
    path: config.socket || "/socket.io", // its session's socket, in a process serving several
    auth: { v: PROTOCOL, token, lang },
    // A websocket from the first request (one connection, the server's lean path); where a
    // network lets no websocket through, long-polling instead.
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });

  // A request keeps its id across retries, so after a reconnect the server answers it again
  // instead of applying it twice. While offline nothing is emitted (socket.io would buffer it
  // and our retry would send it a second time): the request waits for the connection.
  function send(event, payload, onWaiting) {
    const message = { ...payload, rid: randomHex(12) };
    return new Promise((resolve) => {
      let tries = 0;
      const attempt = () => {
        if (!socket.connected) {
          if (onWaiting) onWaiting();
          socket.once("connect", attempt);
          return;
        }
        tries += 1;
        socket.timeout(8000).emit(event, message, (err, ack) => {
          if (!err) return resolve(ack);
          if (tries >= 5) return resolve({ ok: false, error: "internal_error" });
          return attempt();
        });
      };
      attempt();
    });
  }

  // ``what`` names the action for the "waiting to send" note (a vote shows its choice).
  async function act(event, payload, what) {
    const key = what || event;
    showStatus(socket.connected ? "phone.status.sending" : "phone.status.queued");
    const ack = await send(event, payload, () => {
      ui.pending[key] = payload;
      showStatus("phone.status.queued");
      render();
    });
    const wasPending = key in ui.pending;
    delete ui.pending[key];
    showStatus(socket.connected ? null : "phone.status.reconnecting");
    if (ack && ack.ok) {
      $("error").hidden = true;
      if (ack.me) setMe(ack.me);
      else if (wasPending) render();
    } else if (ack) {
      if (wasPending) render();
      showError(ack.error, ack.message);
    }
    return ack;
  }

  function setMe(next) {
    const wasJoined = me.joined;
    me = next;
    render();
    // The moderator took this phone's place away (a lost or shared phone): say so once.
    if (next.revoked && wasJoined) showError("revoked", t("phone.me.revoked"));
  }

  function fillCategories() {
    const names = (state && state.session.categories) || [];
    const select = $("join-category");
    $("join-category-row").hidden = names.length === 0;
    const current = select.value;
    const none = new Option(t("phone.join.category_none"), "");
    const options = names.map((name) => {
      const known = catalog[`term.category.${name}`];
      return new Option(known !== undefined ? known : name, name);
    });
    select.replaceChildren(none, ...options);
    if (names.includes(current)) select.value = current;
  }

  // A poll that opens is brought into view, focused and announced (and felt, where allowed).
  function announcePoll() {
    const open = state && state.poll && me.joined ? state.poll.id : null;
    if (open === seenPoll) return;
    seenPoll = open;
    if (!open) return;
    const card = $("poll");
    const heading = $("poll-h");
    if (!card || !heading) return;
    card.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
    $("announce").textContent = t("phone.poll.announce", { question: state.poll.question });
    if (navigator.vibrate) {
      try { navigator.vibrate(200); } catch (e) { /* not allowed here: fine */ }
    }
  }

  // Re-rendering replaces the screen; keep what the resident is typing and where the focus is.
  function render() {
    if (!state) return;
    $("title").textContent = state.session.title;
    document.title = state.session.title;
    const closed = state.session.phase === "closed";
    if (closed) $("error").hidden = true; // nothing can be retried any more
    $("item").textContent = closed ? t("phone.closed.title") : state.item
      ? t("phone.item.current", { title: state.item.title }) : t("phone.item.none");
    $("whoami").hidden = !me.joined;
    $("whoami").textContent = me.joined ? t("phone.me.you_are", { name: me.name, number: me.number }) : "";
    // More than one device on this person's token: show it, so a copied token is noticed.
    const many = Boolean(me.joined && me.devices > 1);
    $("devices").hidden = !many;
    $("devices").textContent = many ? t("phone.me.devices", { count: me.devices }) : "";
    $("join").hidden = me.joined || closed;
    const screen = $("screen");
    const drafts = {};
    for (const field of screen.querySelectorAll("textarea, input")) drafts[field.id] = field.value;
    const focused = document.activeElement && screen.contains(document.activeElement)
      ? document.activeElement.id : null;
    const parts = me.joined || closed
      ? PhoneRender.screen({ t, state, me, act, ui, rerender: render }) : [];
    screen.replaceChildren(...parts.flat().filter(Boolean));
    for (const [id, value] of Object.entries(drafts)) {
      const field = $(id);
      if (field && value && !field.value) {
        field.value = value;
        field.dispatchEvent(new Event("input")); // counters follow the restored text
      }
    }
    if (focused && $(focused)) $(focused).focus({ preventScroll: true });
    announcePoll();
  }

  // A personal invitation card (/j/CODE?i=TOKEN) makes this phone the roster entry printed on
  // it: used once, on the first connection; then the link is taken out of the address bar.
  const params = new URLSearchParams(window.location.search);
  let invite = params.get("i") || "";
  async function useInvite() {
    if (!invite) return;
    const card = invite;
    invite = "";
    const ack = await act("join", { invite: card });
    if (ack && ack.ok) {
      params.delete("i");
      const query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? `?${query}` : ""));
    }
  }

  // Another process may take the session over when this one dies (docs/scale.md): once the
  // connection has been down a few seconds, ask where the session is now (/live/CODE, at the
  // fallback address: a proxy or another process), and go there when it is served elsewhere.
  const MOVE_AFTER_MS = 3000;
  let downSince = Date.now(); // not connected yet: a page whose process died as it loaded asks too
  let moving = false;
  async function lookForSession() {
    if (socket.connected || moving || !config.code || downSince === null) return;
    if (Date.now() - downSince < MOVE_AFTER_MS) return;
    let answer = null;
    try {
      const where = `${config.fallback || ""}/live/${encodeURIComponent(config.code)}`;
      answer = await (await fetch(where, { cache: "no-store" })).json();
    } catch (e) {
      return; // nobody answers yet: socket.io keeps trying, and so do we
    }
    if (!answer || !answer.live || !answer.url || socket.connected) return;
    const target = new URL(answer.url, window.location.href);
    const here = target.origin === window.location.origin;
    if (here && target.pathname === window.location.pathname) return; // ours is back
    moving = true;
    showStatus("phone.status.moving");
    const known = LANGS.includes(lang) ? `&lang=${lang}` : "";
    const carry = here ? "" : `#device=${encodeURIComponent(token)}${known}`;
    window.location.replace(`${target.origin}${target.pathname}${window.location.search}${carry}`);
  }
  setInterval(lookForSession, 1000);
  socket.on("disconnect", () => { if (downSince === null) downSince = Date.now(); });
  socket.on("connect_error", () => { if (downSince === null) downSince = Date.now(); });

  socket.on("connect", () => {
    downSince = null;
    everConnected = true;
    showStatus(Object.keys(ui.pending).length ? "phone.status.sending" : null);
    useInvite();
  });
  socket.on("disconnect", () => showStatus("phone.status.reconnecting"));
  socket.io.on("reconnect_attempt", () => {
    showStatus(Object.keys(ui.pending).length ? "phone.status.queued" : "phone.status.reconnecting");
  });
  socket.on("connect_error", (err) => {
    const data = err && err.data;
    if (data && data.error) {
      showError(data.error, data.message);
      // A refusal is final for socket.io; a full server may have room again shortly.
      if (data.error === "server_full") setTimeout(() => socket.connect(), 10000);
      showStatus(null);
    } else if (Object.keys(ui.pending).length) {
      showStatus("phone.status.queued");
    } else {
      showStatus(everConnected ? "phone.status.reconnecting" : "phone.status.connecting");
    }
  });
  socket.on("state", (snapshot) => {
    if (state && snapshot.seq < state.seq) return; // an older snapshot never replaces a newer
    const categories = JSON.stringify(state ? state.session.categories : null);
    state = snapshot;
    if (JSON.stringify(state.session.categories) !== categories) fillCategories();
    render();
  });
  socket.on("me", setMe);

  $("lang").addEventListener("change", async (ev) => {
    store.setItem("facilitator.lang", ev.target.value); // chosen: it now wins over the browser
    await loadCatalog(ev.target.value);
    socket.auth.lang = lang;
    if (socket.connected) send("set_lang", { lang });
    render();
  });
  $("error-ok").addEventListener("click", () => { $("error").hidden = true; });
  $("join-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act("join", {
      name: $("join-name").value,
      building: $("join-building").value,
      unit: $("join-unit").value,
      category: $("join-category").value,
    });
  });

  const building = params.get("b");
  if (building) $("join-building").value = building;
  showStatus("phone.status.connecting");
  loadCatalog(lang).then(() => {
    socket.auth.lang = lang;
    render();
  }).catch(() => {});
})();
