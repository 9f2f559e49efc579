/* ipfirm visitor identification snippet: no cookies, no storage, no identifiers.
   <script src="https://HOST/t.js" data-site="pk_…" async></script> */
(function () {
  "use strict";
  var s = document.currentScript;
  if (!s) return;
  var key = s.getAttribute("data-site");
  if (!key) return;
  var ep = s.getAttribute("data-endpoint") || new URL(s.src, location.href).origin + "/collect";
  var last = null;
  var ref = document.referrer;
  function send() {
    var u = location.href;
    if (u === last) return;
    var body = JSON.stringify({ site: key, url: u, title: document.title, referrer: last === null ? ref : last });
    last = u;
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(ep, new Blob([body], { type: "text/plain" }))) return;
    } catch (e) {}
    try {
      fetch(ep, { method: "POST", body: body, keepalive: true, credentials: "omit", mode: "no-cors",
                  headers: { "Content-Type": "text/plain" } });
    } catch (e) {}
  }
  function wrap(name) {
    var orig = history[name];
    if (!orig) return;
    history[name] = function () {
      var r = orig.apply(this, arguments);
      setTimeout(send, 0);
      return r;
    };
  }
  wrap("pushState");
  wrap("replaceState");
  addEventListener("popstate", function () { setTimeout(send, 0); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", send);
  } else {
    send();
  }
})();
