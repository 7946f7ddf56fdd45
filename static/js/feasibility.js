// While a worker writes a request for support: how many volunteers would
// fit it, and which rule leaves out the most, in the form's live region
// (aria-live="polite"), asked of the feasibility API when the form changes.
// Without this script the form's "Check how many volunteers fit" button
// asks the server for the same sentences.
(function () {
  "use strict";

  function sentences(result) {
    var fitting = result.fitting || 0;
    var lines = [
      fitting + (fitting === 1 ? " volunteer fits" : " volunteers fit") +
        " this request as it stands, of " + (result.volunteers || 0) + " with room for someone."
    ];
    var limiting = result.most_limiting;
    if (limiting) {
      lines.push("The rule that leaves out the most: the volunteer " + limiting.label +
        " (" + limiting.removes + " left out).");
    }
    return lines;
  }

  function show(region, lines) {
    // Text only: nothing from the answer is read as HTML.
    region.replaceChildren.apply(region, lines.map(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      return p;
    }));
  }

  function query(form) {
    var params = new URLSearchParams();
    params.append("person_id", form.dataset.personId);
    new FormData(form).forEach(function (value, name) {
      if (["csrf_token", "notes", "check", "comes_to_me"].indexOf(name) !== -1) {
        return;
      }
      // Numbers typed in one box, separated by commas, go one to a parameter;
      // an empty box is left out (not given).
      var parts = name === "excluded_volunteer_ids" ? value.split(",") : [value];
      parts.forEach(function (part) {
        if (part.trim() !== "") {
          params.append(name, part.trim());
        }
      });
    });
    var comes = form.querySelector('[name="comes_to_me"]');
    params.append("comes_to_me", comes && comes.checked ? "true" : "false");
    return params;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("request-form");
    var region = document.getElementById("feasibility-result");
    if (!form || !region || !form.dataset.feasibilityUrl) {
      return;
    }
    var timer = null;
    var asked = 0;
    function ask() {
      var number = ++asked;
      fetch(form.dataset.feasibilityUrl + "?" + query(form).toString(), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (result) {
        // Only the answer to the latest question; an incomplete draft
        // (refused by the API) leaves the last answer in place.
        if (result && number === asked) {
          show(region, sentences(result));
        }
      }).catch(function () { /* the button still asks the server */ });
    }
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 400);
    });
  });
})();
