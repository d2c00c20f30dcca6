// htmx requests carry the CSRF token from the body's hx-headers; nothing else is needed here
// but a refusal page shown in place of a swap target when the server answers an error.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status >= 400 && event.detail.xhr.status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The menu bar's drop-downs (<details class="dropdown">) open and close with the keyboard as
// they are; this adds what people expect of a menu: one open at a time, Escape closes it and
// returns to its name, a click elsewhere closes it.
(function () {
  function menus() {
    return document.querySelectorAll("header nav details.dropdown");
  }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.open || !opened.matches("header nav details.dropdown")) return;
    menus().forEach(function (other) { if (other !== opened) other.open = false; });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus().forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      if (menu.contains(document.activeElement)) menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
})();

// A table wider than a phone scrolls inside itself (console.css); one that does is made
// reachable by keyboard (tabindex), so its hidden columns can be scrolled to without a mouse.
(function () {
  function mark(root) {
    (root || document).querySelectorAll("main table, main .table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!scrolls && box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { mark(document); });
  document.addEventListener("htmx:load", function () { mark(document); });
  window.addEventListener("resize", function () { mark(document); });
})();
