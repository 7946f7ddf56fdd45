// After a search, move the keyboard focus (and a screen reader) to the
// results' heading, so that nobody has to find their way back down the page.
// Only when the page was reached by a search (it has a query string), and
// never when the page shows errors (the error summary takes the focus).
document.addEventListener("DOMContentLoaded", function () {
  var heading = document.getElementById("results-title");
  if (heading && window.location.search && !document.querySelector(".error-summary")) {
    heading.focus();
  }
});
