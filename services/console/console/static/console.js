// htmx requests carry the CSRF token from the body's hx-headers; nothing else is needed here
// but a refusal page shown in place of a swap target when the server answers an error.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status >= 400 && event.detail.xhr.status < 500) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
