// Builds the phone screen from the latest snapshot and the phone's own data.
// Every participant-provided text goes through textContent (el() below), never innerHTML.
"use strict";

window.PhoneRender = (() => {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "onclick") node.addEventListener("click", value);
      else if (key === "onsubmit") node.addEventListener("submit", value);
      else if (key === "oninput") node.addEventListener("input", value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // Headings take the focus when their card needs attention (a new poll), hence tabindex -1.
  function card(id, title, first, ...body) {
    return el("section", { id, class: first ? "card first" : "card", "aria-labelledby": `${id}-h` },
      el("h2", { id: `${id}-h`, tabindex: "-1" }, title), ...body);
  }

  function stars(t, current, send, idPrefix) {
    return el("div", { class: "stars", role: "group", "aria-label": t("term.rating") },
      [1, 2, 3, 4, 5].map((n) => el("button", {
        type: "button", id: `${idPrefix}-${n}`, "aria-pressed": current === n ? "true" : "false",
        onclick: () => send(n),
      }, t("phone.rating.star", { stars: n }))));
  }

  function rating(ctx) {
    const { t, me, act } = ctx;
    const given = me.rating ? me.rating.stars : null;
    const comment = el("textarea", { id: "rating-comment", maxlength: 300 });
    if (me.rating) comment.value = me.rating.comment;
    return card("rating", t("phone.rating.title"), !ctx.state.poll,
      stars(t, given, (n) => act("rate_session", { stars: n, comment: comment.value }), "star"),
      el("label", { for: "rating-comment" }, t("phone.rating.comment_label")), comment,
      given ? el("p", { class: "confirmed" }, t("phone.rating.thanks", { stars: given })) : null);
  }

  function hand(ctx) {
    const { t, state, me, act } = ctx;
    const mine = me.hand;
    let line = null;
    if (mine && mine.status === "speaking") line = t("phone.hand.speaking");
    else if (mine) line = t("phone.hand.position", { position: mine.position });
    // A button that cannot be pressed says why, next to it.
    const why = mine ? null : !state.item ? t("phone.hand.why_no_item") : null;
    return card("hand", t("phone.hand.title"), false,
      state.speaker ? el("p", {}, t("phone.speaker.now", { name: state.speaker.name })) : null,
      el("p", {}, t("phone.hand.waiting", { count: state.queue.length })),
      line ? el("p", { id: "hand-line", class: "confirmed" }, line) : null,
      mine && mine.status === "waiting"
        ? el("button", { type: "button", class: "wide", onclick: () => act("lower_hand", {}) },
          t("phone.hand.lower"))
        : el("button", { type: "button", class: "wide primary", id: "hand-raise",
          disabled: !!mine || !state.item, "aria-describedby": why ? "hand-why" : null,
          onclick: () => act("raise_hand", {}) }, t("phone.hand.raise")),
      why ? el("p", { class: "muted", id: "hand-why" }, why) : null);
  }

  // Withdrawing a support asks first: one tap on 「取消附議」 shows 「確定取消」 and 「保留附議」.
  function supportButtons(ctx, issue, supported) {
    const { t, act, ui, rerender } = ctx;
    if (!supported) {
      return el("button", { type: "button", onclick: () => act("support", { issue_id: issue.id }) },
        t("phone.issues.support"));
    }
    if (ui.confirmWithdraw === issue.id) {
      return el("div", { class: "confirm", role: "group", "aria-label": t("phone.issues.withdraw_ask") },
        el("p", { class: "big" }, t("phone.issues.withdraw_ask")),
        el("button", { type: "button", class: "primary", onclick: () => {
          ui.confirmWithdraw = null;
          act("withdraw", { issue_id: issue.id });
        } }, t("phone.issues.withdraw_yes")),
        el("button", { type: "button", onclick: () => {
          ui.confirmWithdraw = null;
          rerender();
        } }, t("phone.issues.withdraw_keep")));
    }
    return el("button", { type: "button", "aria-pressed": "true", onclick: () => {
      ui.confirmWithdraw = issue.id;
      rerender();
    } }, `✓ ${t("phone.issues.supported")} · ${t("phone.issues.withdraw")}`);
  }

  function issues(ctx) {
    const { t, state, me, act } = ctx;
    const supports = new Set(me.supports || []);
    const raised = new Set(me.raised || []);
    const text = el("textarea", { id: "issue-text", maxlength: 300, required: true });
    const counter = el("p", { class: "muted", id: "issue-counter", "aria-live": "polite" },
      t("phone.raise.counter", { count: 0, limit: 300 }));
    text.addEventListener("input", () => {
      counter.textContent = t("phone.raise.counter", { count: text.value.length, limit: 300 });
    });
    const form = el("form", { id: "issue-form", onsubmit: async (ev) => {
      ev.preventDefault();
      const ack = await act("raise_issue", { text: text.value });
      // The ack re-rendered the screen: clear the field that is on screen now.
      const current = document.getElementById("issue-text");
      if (ack && ack.ok && current) {
        current.value = "";
        current.dispatchEvent(new Event("input"));
      }
    } },
    el("label", { for: "issue-text" }, t("phone.raise.label")), text, counter,
    el("button", { type: "submit", class: "primary wide" }, t("phone.raise.submit")));
    const list = state.issues.length
      ? el("ul", { class: "issue-list", id: "issue-list" }, state.issues.map((issue) => el("li", {
        "data-issue": issue.id },
      el("p", { class: "issue-text" }, `${issue.number}. `, issue.text),
      el("p", { class: "muted" }, t("phone.issues.supports", { count: issue.supports }),
        raised.has(issue.id) ? ` · ${t("phone.issues.mine")}` : ""),
      supportButtons(ctx, issue, supports.has(issue.id)))))
      : el("p", {}, t("phone.issues.none"));
    return [card("raise", t("phone.raise.title"), false, form),
      card("issues", t("phone.issues.title"), false, list)];
  }

  function actions(ctx) {
    const { t, state, me, act } = ctx;
    if (!state.actions.length) return null;
    const claims = new Set(me.claims || []);
    return card("actions", t("phone.actions.title"), false, el("ul", { class: "issue-list" },
      state.actions.map((a) => el("li", {},
        el("p", { class: "issue-text" }, `${a.number}. `, a.title),
        a.owner ? el("p", { class: "muted" }, t("phone.actions.owner", { owner: a.owner })) : null,
        a.deadline ? el("p", { class: "muted" }, t("phone.actions.deadline", { date: a.deadline })) : null,
        claims.has(a.id) ? el("p", { class: "confirmed" }, t("phone.actions.mine"))
          : a.claimed ? el("p", {}, t("phone.actions.claimed_by", { name: a.claimed_by }))
            // an item with an owner is the owner's to claim; a resident claims only the others
            : a.owner && a.owner !== me.name && a.owner !== me.category
              ? el("p", { class: "muted" }, t("phone.actions.has_owner"))
              : el("button", { type: "button", onclick: () => act("claim", { action_id: a.id }) },
                t("phone.actions.claim"))))));
  }

  function followUps(ctx) {
    const { t, state, me, act } = ctx;
    const open = state.follow_ups.filter((f) => f.rating_open);
    if (!open.length) return null;
    const mine = me.delivery_ratings || {};
    return card("followups", t("phone.followup.title"), false, open.map((f) => el("div", {},
      el("p", { class: "issue-text big" }, f.title),
      el("p", {}, t("phone.followup.rate")),
      stars(t, mine[f.ref] || null, (n) => act("rate_delivery", { ref: f.ref, stars: n }), `f-${f.number}`),
      mine[f.ref] ? el("p", { class: "confirmed" }, t("phone.followup.your_rating", { stars: mine[f.ref] })) : null)));
  }

  function screen(ctx) {
    const { t, state, me, act } = ctx;
    const phase = state.session.phase;
    if (phase === "closed") {
      return [card("closed", t("phone.closed.title"), true, el("p", {}, t("phone.closed.thanks"))),
        state.last_poll ? PhonePoll.result(el, card, ctx) : null];
    }
    const parts = [];
    if (phase === "draft") parts.push(el("p", { class: "card" }, t("phone.status.draft")));
    if (!me.checked_in) {
      parts.push(card("checkin", t("phone.checkin.button"), true, el("p", {}, t("phone.checkin.needed")),
        el("button", { type: "button", class: "primary wide", onclick: () => act("check_in", {}) },
          t("phone.checkin.button"))));
    }
    if (state.poll) parts.push(PhonePoll.open(el, card, ctx));
    if (state.session.rating_open) parts.push(rating(ctx));
    if (!state.poll && state.last_poll) parts.push(PhonePoll.result(el, card, ctx));
    parts.push(hand(ctx), ...issues(ctx), actions(ctx), followUps(ctx));
    return parts;
  }

  return { el, screen };
})();
