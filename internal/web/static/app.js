// Keyboard shortcuts that work on every page: "/" or Ctrl-K (Cmd-K) puts
// the cursor in the jump box; Escape in it clears it and its results.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (e) {
    var box = document.getElementById("jump");
    if (!box) return;
    var slash = e.key === "/" && !typing(document.activeElement) && !e.ctrlKey && !e.metaKey && !e.altKey;
    var ctrlK = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey);
    if (slash || ctrlK) {
      e.preventDefault();
      box.focus();
      box.select();
    } else if (e.key === "Escape" && document.activeElement === box) {
      box.value = "";
      var results = document.getElementById("jump-results");
      if (results) results.innerHTML = "";
      box.blur();
    }
  });
})();
