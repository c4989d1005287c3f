// The staff page (/staff): sign in with a staff account, screen the requests of its places.
// The session token is kept in this tab's sessionStorage only; the secret is never stored.
(function () {
  "use strict";
  var page = window.FacilitatorPage;
  var config = page.config, T = config.t, tr = page.tr, el = page.el;
  var KEY = "facilitator.staff";
  var SIGNED_OUT = ["not_signed_in", "session_expired", "account_disabled"];
  var OPEN = ["pending", "accepted", "answered"];
  var token = sessionStorage.getItem(KEY) || "";
  var who = document.getElementById("who"), msg = document.getElementById("staff-msg");
  var form = document.getElementById("sign-in"), work = document.getElementById("work");
  var place = "", current = null;  // the place shown, the account signed in (or last signed in)

  function say(text, good) { msg.textContent = text || ""; msg.className = good ? "ok" : "bad"; }

  function call(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    return fetch(path + "?lang=" + config.lang, {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined
    }).then(function (r) { return r.json(); })
      .catch(function () { return { ok: false, error: "offline", message: T["intake.offline"] }; });
  }

  function refused(answer) {
    if (SIGNED_OUT.indexOf(answer.error) >= 0) signedOut(answer.message, true);
    else say(answer.message);
  }

  var fields = 0;
  function field(label, attrs) {
    var tag = attrs.tag || "input";
    delete attrs.tag;
    attrs.id = "f-" + attrs.name + "-" + (fields += 1);
    var box = el("div");
    box.appendChild(el("label", { for: attrs.id }, label));
    box.appendChild(el(tag, attrs));
    return box;
  }

  function signIn() {
    who.textContent = ""; form.textContent = ""; form.hidden = false;
    form.appendChild(field(T["intake.staff.name"], { name: "name", autocomplete: "username", required: "" }));
    form.appendChild(field(T["intake.staff.secret"], { name: "secret", type: "password", autocomplete: "current-password", required: "" }));
    form.appendChild(el("button", { type: "submit" }, T["intake.staff.sign_in"]));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var secret = form.elements.namedItem("secret");
    var body = { name: form.elements.namedItem("name").value.trim(), secret: secret.value };
    secret.value = "";  // never kept, whatever the answer
    call("POST", "/api/staff/login", body).then(function (answer) {
      if (!answer.ok) { say(answer.message); return; }
      token = answer.token;
      sessionStorage.setItem(KEY, token);
      var same = current && current.name === answer.account.name && work.childNodes.length;
      if (same) {  // signed in again after an expiry: the open forms and what was typed stay
        showWho(answer.account);
        say(T["intake.staff.kept"], true);
      } else {
        say("");
        signedIn(answer.account);
      }
    });
  });

  // keep: an expired or refused sign-in in the middle of work keeps the page as it is, so that
  // nothing typed is lost; signing out on purpose clears it.
  function signedOut(message, keep) {
    token = "";
    sessionStorage.removeItem(KEY);
    if (!keep) { work.textContent = ""; current = null; }
    signIn();
    say(message || "");
  }

  function showWho(account) {
    current = account;
    form.hidden = true; form.textContent = ""; who.textContent = "";
    who.appendChild(el("span", {}, tr("intake.staff.signed_in", { name: account.name || T["intake.staff.operator"] })));
    var out = el("button", { type: "button", class: "small" }, T["intake.staff.sign_out"]);
    out.addEventListener("click", function () {
      call("POST", "/api/staff/logout").then(function () { signedOut(T["intake.staff.signed_out"]); });
    });
    who.appendChild(out);
  }

  function signedIn(account) {
    showWho(account);
    work.textContent = "";
    if (!account.places.length) { work.appendChild(el("p", {}, T["intake.staff.no_places"])); return; }
    var choose = field(T["intake.staff.place"], { name: "place", tag: "select" });
    var select = choose.querySelector("select");
    account.places.forEach(function (p) { select.appendChild(el("option", { value: p.id }, p.name)); });
    select.addEventListener("change", function () { load(select.value); });
    work.appendChild(choose);
    work.appendChild(el("div", { id: "requests" }));
    load(account.places[0].id);
  }

  function load(placeId) {
    place = placeId;
    call("GET", "/api/staff/" + encodeURIComponent(placeId) + "/requests").then(function (answer) {
      if (!answer.ok) { refused(answer); return; }
      categories = answer.categories;
      var list = document.getElementById("requests");
      list.textContent = "";
      answer.requests.sort(function (a, b) { return (a.status !== "pending") - (b.status !== "pending") || a.number - b.number; });
      answer.requests.forEach(function (r) { list.appendChild(card(r)); });
      if (!answer.requests.length) list.appendChild(el("p", {}, T["intake.staff.none"]));
    });
  }

  var categories = [];
  var FORMS = {
    accept: [["category", "intake.staff.category", "select"], ["urgency", "intake.staff.urgent", "checkbox"]],
    answer: [["text", "intake.staff.answer_text", "textarea"]],
    reject: [["reason", "intake.staff.reason", "textarea"]],
    schedule: [["note", "intake.staff.note", "input"]],
    fix: [["owner", "intake.staff.owner", "input"], ["deadline", "intake.staff.deadline", "input"]],
    merge: [["into", "intake.staff.into", "input"]],
    progress: [["text", "intake.staff.progress_text", "textarea"], ["status", "intake.staff.progress_done", "checkbox"]]
  };

  function card(r) {
    var box = el("article", { class: "card", "data-number": String(r.number) });
    var status = T["intake.status." + r.status] || r.status;
    var head = "#" + r.number + " · " + status + (r.answer_overdue ? " · " + T["intake.overdue"] : "");
    box.appendChild(el("p", { class: r.answer_overdue ? "overdue" : "status" }, head));
    box.appendChild(el("p", {}, r.text));
    var meta = [r.building, r.unit, r.category, tr("intake.staff.supporters", { n: r.supporters })];
    box.appendChild(el("p", { class: "meta" }, meta.filter(Boolean).join(" · ")));
    if (r.contact) box.appendChild(el("p", { class: "meta" }, T["intake.staff.contact"] + " " + r.contact));
    var verbs = OPEN.indexOf(r.status) >= 0 ? ["accept", "answer", "reject", "schedule", "fix", "merge"]
      : r.status === "merged" ? [] : r.item_id ? ["answer", "progress"] : ["answer"];
    var actions = el("div", { class: "actions" });
    verbs.forEach(function (verb) {
      var b = el("button", { type: "button", "data-action": verb }, T["intake.staff." + verb]);
      b.addEventListener("click", function () { open(box, r, verb); });
      actions.appendChild(b);
    });
    box.appendChild(actions);
    return box;
  }

  function open(box, r, verb) {
    var number = r.number;
    var old = box.querySelector(".act");
    if (old) old.remove();
    var act = el("form", { class: "act" });
    FORMS[verb].forEach(function (f) {
      var attrs = { name: f[0], tag: f[2] === "checkbox" ? "input" : f[2] };
      if (f[2] === "checkbox") { attrs.type = "checkbox"; attrs.style = "width:auto"; }
      if (f[0] === "deadline") attrs.type = "date";
      if (f[0] === "into") attrs.inputmode = "numeric";
      var made = field(T[f[1]], attrs);
      if (f[0] === "category") {
        var select = made.querySelector("select");
        [r.category].concat(categories.filter(function (c) { return c !== r.category; })).forEach(function (c) {
          select.appendChild(el("option", { value: c }, c || "—"));
        });
      }
      act.appendChild(made);
    });
    act.appendChild(el("button", { type: "submit" }, tr("intake.staff.confirm", { action: T["intake.staff." + verb], number: number })));
    act.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { rid: "s" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8) };
      FORMS[verb].forEach(function (f) {
        var input = act.elements.namedItem(f[0]);
        var value = input.value.trim();
        if (f[0] === "urgency") value = input.checked ? "urgent" : "normal";
        if (f[0] === "status") value = input.checked ? "done" : "in_progress";
        body[f[0]] = f[0] === "into" ? Number(value) : value;
      });
      var base = "/api/staff/" + encodeURIComponent(place);
      var path = verb === "progress" ? base + "/items/" + encodeURIComponent(r.item_id) + "/feedback"
        : base + "/requests/" + number + "/" + verb;
      call("POST", path, body).then(function (answer) {
        if (!answer.ok) { refused(answer); return; }  // what was typed stays in the form
        var status = answer.request ? answer.request.status : r.status;
        // Progress leaves the request's status as it was: say what was done instead.
        say(verb === "progress" ? tr("intake.staff.progress_recorded", { number: number })
          : tr("intake.staff.done", { number: number, status: T["intake.status." + status] }), true);
        load(place);
      });
    });
    box.appendChild(act);
    var first = act.querySelector("input, textarea");
    if (first) first.focus();
  }

  if (token) {
    call("GET", "/api/staff/me").then(function (answer) {
      if (answer.ok) signedIn(answer.account); else signedOut(answer.error === "offline" ? answer.message : "");
    });
  } else {
    signIn();
  }
})();
