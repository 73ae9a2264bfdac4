// "Copy caption" buttons in the gallery: copy the caption's text, say so on the button.
(function () {
  document.querySelectorAll(".hc-copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent.trim();
      var done = function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy caption"; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else { fallback(); }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.execCommand("copy"); sel.removeAllRanges(); done();
      }
    });
  });
})();
