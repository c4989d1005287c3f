// The poll on the phone: the open vote (buttons first, then the rule and the live quorum) and
// the result, which says plainly what was decided: passed, and which option; not passed, and
// why (a tie included); or which options tied so that none was chosen. The sentences come from
// the same catalog keys as the minutes (facilitator/minutes/rules.py).
"use strict";

window.PhonePoll = (() => {
  function optionLabel(t, poll, option) {
    return poll.kind === "yes_no_abstain" ? t(`term.vote.${option}`) : option;
  }

  function thresholdText(t, poll) {
    const rule = poll.threshold;
    const key = poll.kind === "yes_no_abstain"
      ? `term.threshold.${rule.rule}` : `term.threshold.choice.${rule.rule}`;
    return t(key, { num: rule.num, den: rule.den });
  }

  function quorumLine(t, poll) {
    const q = poll.quorum;
    if (!q) return null;
    const state = t(q.met ? "term.quorum.met" : "term.quorum.short");
    const key = q.counts_voters ? "term.quorum.status.voters" : "term.quorum.status.present";
    return t(key, { counted: q.counted, present: q.present, required: q.required, state });
  }

  function quoted(t, poll, option) {
    const text = optionLabel(t, poll, option);
    return document.documentElement.lang === "en" ? `“${text}”` : `「${text}」`;
  }

  function listed(items) {
    if (document.documentElement.lang !== "en") return items.join("、");
    return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : items.join("");
  }

  function outcomeText(t, poll) {
    const choice = poll.kind !== "yes_no_abstain";
    if (poll.outcome === "passed" && choice && poll.winner !== null) {
      return t("term.outcome.passed_option", { option: optionLabel(t, poll, poll.winner) });
    }
    if (poll.outcome === "tie") {
      return t("term.outcome.tie_options", { options: listed(poll.tied.map((o) => quoted(t, poll, o))) });
    }
    if (poll.outcome === "failed" && poll.tied.length) return t("term.outcome.failed_tie");
    if (poll.outcome === "failed" && choice) return t("term.outcome.failed_choice");
    return t(`term.outcome.${poll.outcome}`);
  }

  // Counts with the share of voters; or, while a secret ballot hides them, a line saying so.
  function tally(el, t, poll) {
    if (!poll.totals) {
      return el("p", { class: "muted", id: `tally-hidden-${poll.id}` }, t("phone.poll.tally_hidden"));
    }
    return el("ul", { class: "tally" }, poll.options.map((option, i) => {
      const count = poll.totals[i] ?? 0;
      const share = poll.voters ? Math.round((100 * count) / poll.voters) : 0;
      return el("li", {}, t("phone.poll.count", { option: optionLabel(t, poll, option), count, share }));
    }));
  }

  function open(el, card, ctx) {
    const { t, state, me, act, ui } = ctx;
    const p = state.poll;
    const mine = (me.ballots || {})[p.id] || [];
    const waiting = ui.pending[`vote:${p.id}`];
    const shown = mine.map((o) => optionLabel(t, p, o)).join("、");
    const locked = mine.length > 0 && !p.changeable;
    const multi = p.kind === "multi";
    const chosen = new Set(waiting ? waiting.choices : mine);
    const vote = (choices) => act("vote", { poll_id: p.id, choices }, `vote:${p.id}`);
    const buttons = p.options.map((option) => el("button", {
      type: "button",
      class: "wide",
      "aria-pressed": chosen.has(option) ? "true" : "false",
      disabled: locked,
      "aria-describedby": locked ? "poll-rule" : null,
      onclick: (ev) => {
        if (!multi) return vote([option]);
        const pressed = ev.currentTarget.getAttribute("aria-pressed") === "true";
        ev.currentTarget.setAttribute("aria-pressed", pressed ? "false" : "true");
        return undefined;
      },
    }, (chosen.has(option) ? "✓ " : "") + optionLabel(t, p, option)));
    const submit = multi && !locked ? el("button", {
      type: "button", class: "primary wide",
      onclick: () => vote(buttons
        .filter((b) => b.getAttribute("aria-pressed") === "true")
        .map((b) => p.options[buttons.indexOf(b)])),
    }, t("phone.poll.submit")) : null;
    let status = mine.length ? t("phone.poll.your_choice", { choice: shown }) : t("phone.poll.not_voted");
    if (waiting) {
      const labels = waiting.choices.map((o) => optionLabel(t, p, o)).join("、");
      status = t("phone.poll.waiting", { choice: labels });
    }
    const quorum = quorumLine(t, p);
    return card("poll", t("phone.poll.title"), true,
      el("p", { class: "big", id: "poll-question" }, p.question),
      multi ? el("p", {}, t("phone.poll.choose_up_to", { max: p.max_choices })) : null,
      el("div", { class: "options" }, buttons), submit,
      el("p", { id: "poll-mine", class: waiting ? "waiting" : mine.length ? "confirmed" : "" }, status),
      el("p", { class: "muted", id: "poll-rule" }, t(p.changeable ? "phone.poll.changeable" : "phone.poll.final")),
      el("p", { class: "muted", id: "poll-threshold" }, thresholdText(t, p)),
      quorum ? el("p", { id: "poll-quorum", class: p.quorum.met ? "quorum met" : "quorum short" }, quorum) : null,
      el("p", { id: "poll-voters" }, t("phone.poll.voters", { count: p.voters })),
      tally(el, t, p));
  }

  function result(el, card, ctx) {
    const { t, state } = ctx;
    const p = state.last_poll;
    const quorum = quorumLine(t, p);
    return card("result", t("phone.poll.result_title"), false,
      el("p", { class: "big" }, p.question),
      el("p", { id: "result-outcome", class: p.outcome === "passed" ? "confirmed big" : "big" },
        t("phone.poll.result", { outcome: outcomeText(t, p) })),
      el("p", { class: "muted", id: "result-rule" }, thresholdText(t, p)),
      quorum ? el("p", { class: "muted" }, quorum) : null,
      tally(el, t, p));
  }

  return { open, result, outcomeText, thresholdText, quorumLine, optionLabel };
})();
