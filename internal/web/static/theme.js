// Sets the colour scheme before the page is drawn, so a dark page never
// flashes white: the user's choice when they made one (the server writes
// it on <html>), else the operating system's, followed as it changes.
(function () {
  "use strict";
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function apply() {
    var pref = root.getAttribute("data-theme-pref") || "system";
    if (pref === "system") root.setAttribute("data-bs-theme", dark && dark.matches ? "dark" : "light");
  }
  apply();
  if (dark && dark.addEventListener) dark.addEventListener("change", apply);
})();
