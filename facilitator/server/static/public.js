// Ratings on the public page (/p/<place>): one per phone per delivered item, the latest counts.
(function () {
  "use strict";
  var page = window.FacilitatorPage;
  var config = page.config, T = config.t, device = page.device, tr = page.tr, el = page.el;
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
