// The "not live right now" page (route_pages.py): asks /live/CODE every few seconds and goes to the
// session's page once a process serves it. The page itself never reloads while it waits, so
// nothing moves under someone reading it (or a screen reader reading it aloud).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  setInterval(function () {
    fetch("/live/" + encodeURIComponent(config.code), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.live || !answer.url) return;
        var target = new URL(answer.url, window.location.href);
        var path = config.page === "d" ? "/d/" + encodeURIComponent(config.code) : target.pathname;
        window.location.replace(target.origin + path + window.location.search);
      })
      .catch(function () { /* nobody answers right now: try again */ });
  }, config.every * 1000);
})();
