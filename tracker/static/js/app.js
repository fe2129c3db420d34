/* Progressive enhancement only: every page works without this file. Served locally, loaded with
   `defer` from base.html, so it needs no inline script and passes a strict CSP. */
(function () {
  "use strict";

  // After a failed submit, start at the list of problems: screen readers read it at once and
  // keyboard users reach each field from its link.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // After adding a property the page opens at its row (#row-N); focus it so that keyboard and
  // screen-reader users continue from there too.
  var added = document.querySelector(".row-added");
  if (added && !summary && location.hash === "#" + added.id) {
    added.focus();
  }

  // Search filters are folded away on a phone once results show; a wide screen has room for
  // them (app.css shows them too where the browser can style a closed disclosure).
  if (window.matchMedia("(min-width: 37.5rem)").matches) {
    var disclosures = document.querySelectorAll(".filter-disclosure");
    for (var d = 0; d < disclosures.length; d++) {
      disclosures[d].open = true;
    }
  }

  // The printable report's button; without JavaScript the browser's own Print does the same.
  var printButtons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < printButtons.length; i++) {
    printButtons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
