// The buttons of the session page (textual-serve's inline script, as a file so that the
// page's Content-Security-Policy can forbid inline scripts).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.restart")) {
    button.addEventListener("click", () => {
      const params = new URLSearchParams(window.location.search);
      params.delete("delay");
      const query = params.toString();
      window.location.href = window.location.pathname + (query ? "?" + query : "");
    });
  }
});
