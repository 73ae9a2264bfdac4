// The quiz: choosing an answer marks it right or wrong and shows why. Buttons, so keyboard works.
(function () {
  document.querySelectorAll(".hc-quiz").forEach(function (quiz) {
    var options = quiz.querySelectorAll(".hc-quiz-option");
    var notes = quiz.querySelectorAll(".hc-quiz-explain [data-for]");
    options.forEach(function (button, i) {
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        options.forEach(function (b) {
          b.classList.remove("hc-right", "hc-wrong");
          b.setAttribute("aria-pressed", "false");
        });
        button.classList.add(button.dataset.correct === "1" ? "hc-right" : "hc-wrong");
        button.setAttribute("aria-pressed", "true");
        notes.forEach(function (n) { n.hidden = n.dataset.for !== String(i); });
      });
    });
    quiz.dataset.ready = "1";
  });
})();
