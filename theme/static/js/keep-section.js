// Carries the section a reader is at (#fragment) over to the other language.
// Without this script the language links still work; they open the top of the page.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-keep-section]") : null;
  if (link && window.location.hash) {
    link.hash = window.location.hash;
  }
});
