// The intake page of a building (/b/<code>): raise a request, support neighbours' requests, and
// follow one's own ("My requests"). Everything shown is set as text, never as HTML.
(function () {
  "use strict";
  var page = window.FacilitatorPage;
  var config = page.config, T = config.t, device = page.device, tr = page.tr, el = page.el;
  var api = "/api/b/" + encodeURIComponent(config.code);
  function rid() { return "r" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }
  function call(method, path, body) {
    var init = { method: method, headers: { "X-Device": device } };
    if (body instanceof FormData) init.body = body;
    else if (body) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    return fetch(api + path + (path.indexOf("?") < 0 ? "?" : "&") + "lang=" + config.lang, init)
      .then(function (r) { return r.json(); })
      .catch(function () { return { ok: false, message: T["intake.offline"] }; });
  }
  var form = document.getElementById("raise");
  var msg = document.getElementById("raise-msg");
  var pendingRid = null;
  function buildForm(info) {
    form.textContent = "";
    form.appendChild(el("label", { for: "text" }, T["intake.text_label"]));
    form.appendChild(el("textarea", { id: "text", name: "text", maxlength: "1000", required: "" }));
    form.appendChild(el("label", { for: "category" }, T["intake.category_label"]));
    var cat = el("select", { id: "category", name: "category" });
    cat.appendChild(el("option", { value: "" }, T["intake.category_none"]));
    info.categories.forEach(function (c) { cat.appendChild(el("option", { value: c }, c)); });
    form.appendChild(cat);
    if (info.building.units.length) {
      form.appendChild(el("label", { for: "unit" }, T["intake.unit_label"]));
      var unit = el("select", { id: "unit", name: "unit" });
      unit.appendChild(el("option", { value: "" }, T["intake.unit_none"]));
      info.building.units.forEach(function (u) { unit.appendChild(el("option", { value: u }, u)); });
      var asked = new URLSearchParams(location.search).get("u");
      if (asked) unit.value = asked;
      form.appendChild(unit);
    }
    form.appendChild(el("label", { for: "photo" }, T["intake.photo_label"]));
    form.appendChild(el("input", { id: "photo", name: "photo", type: "file", accept: "image/*" }));
    form.appendChild(el("label", { for: "contact" }, T["intake.contact_label"]));
    form.appendChild(el("input", { id: "contact", name: "contact", maxlength: "120", autocomplete: "tel" }));
    form.appendChild(el("label", { for: "signature" }, tr("intake.signature_label", { building: info.building.name })));
    form.appendChild(el("input", { id: "signature", name: "signature", maxlength: "120" }));
    form.appendChild(el("button", { type: "submit", id: "send" }, T["intake.send"]));
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var send = document.getElementById("send");
    var data = new FormData(form);
    var photo = document.getElementById("photo");
    if (!photo.files.length) data.delete("photo");
    pendingRid = pendingRid || rid();  // a retry after a failure keeps its id: never twice
    data.append("rid", pendingRid);
    send.disabled = true; send.textContent = T["intake.sending"];
    call("POST", "/requests", data).then(function (answer) {
      send.disabled = false; send.textContent = T["intake.send"];
      msg.className = answer.ok ? "ok" : "bad";
      msg.textContent = answer.ok ? tr("intake.sent", { number: answer.number }) : answer.message;
      if (answer.ok) { pendingRid = null; form.reset(); refresh(); }
    });
  });
  function requestCard(r, mine) {
    var card = el("div", { class: "card", "data-number": String(r.number) });
    card.appendChild(el("p", {}, "#" + r.number + " " + r.text));
    var meta = [tr("intake.status." + r.status), r.building + (r.unit ? " " + r.unit : ""), r.category, tr("intake.supporters", { count: r.supporters })];
    if (r.urgency === "urgent") meta.push(T["intake.urgent"]);
    card.appendChild(el("p", { class: "meta" }, meta.filter(Boolean).join(" · ") + " — " + r.signature));
    if (mine) {
      if (r.merged_into) card.appendChild(el("p", {}, tr("intake.merged_into", { number: r.merged_into })));
      if (r.reason) card.appendChild(el("p", { class: "bad" }, tr("intake.reason", { reason: r.reason })));
      r.answers.forEach(function (a) { card.appendChild(el("p", {}, tr("intake.answer", { text: a.text }))); });
      if (r.item) card.appendChild(el("p", { class: "status" }, tr("intake.item", { owner: r.item.owner, deadline: r.item.deadline }) + " · " + tr("intake.item_status." + r.item.status)));
      if (r.session && r.session.status === "resolved") card.appendChild(el("p", { class: "status" }, tr("intake.session_resolved", { date: r.session.date })));
      else if (r.session_id) card.appendChild(el("p", {}, T["intake.taken"]));
      (r.session ? r.session.items : []).forEach(function (item) {
        card.appendChild(el("p", { class: "status" }, tr("intake.item", { owner: item.owner, deadline: item.deadline || "—" }) + " · " + tr("intake.item_status." + item.status)));
      });
      if (r.answer_late) card.appendChild(el("p", { class: "bad" }, T["intake.answer_late"]));
    } else if (!r.mine) {
      var button = el("button", { type: "button", class: "small" }, r.supported ? T["intake.supported"] : T["intake.support"]);
      button.disabled = r.supported;
      button.addEventListener("click", function () {
        button.disabled = true;
        call("POST", "/support", { number: r.number, rid: rid() }).then(function (answer) {
          if (!answer.ok) { button.disabled = false; card.appendChild(el("p", { class: "bad", role: "alert" }, answer.message)); }
          refresh();
        });
      });
      card.appendChild(button);
    }
    return card;
  }
  function fill(id, list, mine, empty) {
    var box = document.getElementById(id);
    box.textContent = "";
    if (!list.length) box.appendChild(el("p", {}, empty));
    list.forEach(function (r) { box.appendChild(requestCard(r, mine)); });
  }
  function refresh() {
    call("GET", "").then(function (info) {
      if (!info.ok) { msg.className = "bad"; msg.textContent = info.message; return; }
      if (!form.firstChild) buildForm(info);
      var banner = document.getElementById("live");
      if (info.live && !banner) {
        banner = el("p", { id: "live", class: "card status" });
        var link = el("a", { href: info.live.href }, tr("intake.live", { title: info.live.title }));
        banner.appendChild(link);
        document.querySelector("h1").after(banner);
      }
      fill("open", info.requests, false, T["intake.open_empty"]);
    });
    call("GET", "/mine").then(function (answer) {
      if (answer.ok) fill("mine", answer.requests, true, T["intake.mine_empty"]);
    });
  }
  refresh();
  setInterval(refresh, 30000);
})();
