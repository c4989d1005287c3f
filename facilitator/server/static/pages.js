// What the building's intake page (intake.js) and the public page (public.js) share: their
// config and catalog, the phone's device token, and building nodes as text (never as HTML).
window.FacilitatorPage = (function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  // The same token as the evening's phone page (app.js): one phone, one resident, counted once.
  var KEY = "facilitator.device";
  var device = localStorage.getItem(KEY);
  if (!device || !/^[A-Za-z0-9_-]{16,128}$/.test(device)) {
    var bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    device = Array.from(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    localStorage.setItem(KEY, device);
  }
  // {name}, or {name|one|other}: the word for a number (facilitator/i18n/catalog.py explains).
  function tr(key, params) {
    var text = config.t[key] || key;
    return text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}|]*)\|([^{}|]*))?\}/g,
      function (all, name, one, other) {
        if (!params || !(name in params)) return all;
        if (other === undefined) return String(params[name]);
        return String(params[name]) === "1" ? one : other;
      });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  return { config: config, device: device, tr: tr, el: el };
})();
