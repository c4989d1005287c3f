// Ratings on the public page (/p/<place>): one per phone per delivered item, the latest counts.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var T = config.t;
  // The same token as the evening's phone page (app.js): one phone, one resident, counted once.
  var KEY = "facilitator.device";
  var device = localStorage.getItem(KEY);
  if (!device || !/^[A-Za-z0-9_-]{16,128}$/.test(device)) {
    var bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    device = Array.from(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    localStorage.setItem(KEY, device);
  }
  function tr(key, params) {
    var text = T[key] || key;
    Object.keys(params || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(params[k])); });
    return text;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var base = "/api/p/" + encodeURIComponent(config.place);
  function rated(card, item) {
    var ratings = card.querySelector(".ratings");
    ratings.textContent = item.ratings.count
      ? tr("intake.ratings", { average: item.ratings.average.toFixed(1), count: item.ratings.count })
      : T["intake.no_ratings"];
  }
  function stars(card, item) {
    var box = card.querySelector(".rate");
    box.textContent = "";
    if (!item.rateable) return;
    var group = el("div", { class: "stars", role: "group", "aria-label": T["intake.rate"] });
    box.appendChild(el("p", {}, item.my_rating ? tr("intake.your_rating", { stars: item.my_rating }) : T["intake.rate"]));
    [1, 2, 3, 4, 5].forEach(function (n) {
      var b = el("button", { type: "button", "aria-pressed": String(item.my_rating === n), "aria-label": n + " / 5" }, String(n));
      b.addEventListener("click", function () {
        fetch(base + "/rate?lang=" + config.lang, {
          method: "POST",
          headers: { "X-Device": device, "Content-Type": "application/json" },
          body: JSON.stringify({ ref: item.ref, stars: n, rid: "r" + Date.now().toString(36) + n })
        }).then(function (r) { return r.json(); }).catch(function () { return { ok: false, message: T["intake.offline"] }; })
          .then(function (answer) {
            var note = el("p", { role: "status", class: answer.ok ? "ok" : "bad" }, answer.ok ? tr("intake.rate_thanks", { stars: n }) : answer.message);
            if (answer.ok) { rated(card, answer.item); stars(card, answer.item); }
            card.querySelector(".rate").appendChild(note);
          });
      });
      group.appendChild(b);
    });
    box.appendChild(group);
  }
  fetch(base + "?lang=" + config.lang, { headers: { "X-Device": device } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.ok) return;
      data.items.forEach(function (item) {
        var card = document.querySelector('[data-ref="' + CSS.escape(item.ref) + '"]');
        if (card) stars(card, item);
      });
    });
})();
