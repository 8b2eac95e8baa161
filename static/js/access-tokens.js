// Settings > Access tokens: show a new token once in a modal dialog and copy it.
// Loaded as a file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  var dialog = document.getElementById("token-created");
  if (!dialog) {
    return;
  }
  var input = document.getElementById("token-created-value");
  var copyButton = document.getElementById("token-copy");
  var status = document.getElementById("token-copy-status");

  // This page is the answer to a POST. Replace its history entry with the list URL so
  // that a reload or a return via Back fetches the list with GET and never the token.
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", dialog.dataset.listUrl);
  }

  // The server renders the dialog open so that it shows without JavaScript; reopen it
  // as a modal so that the rest of the page is inert until it is closed.
  if (typeof dialog.showModal === "function") {
    dialog.close();
    dialog.showModal();
  }

  function say(message) {
    status.textContent = message;
  }

  function copyWithSelection() {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(copied ? "Copied to the clipboard." : "Press Ctrl+C (or ⌘+C) to copy the selected token.");
  }

  copyButton.hidden = false;
  copyButton.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say("Copied to the clipboard."); },
        copyWithSelection
      );
    } else {
      copyWithSelection();
    }
  });

  input.addEventListener("focus", function () { input.select(); });

  // Once closed, the token leaves the page for good. (The close() above also fires a
  // close event, later, while the dialog is open again as a modal: ignore that one.)
  dialog.addEventListener("close", function () {
    if (dialog.open) {
      return;
    }
    input.value = "";
    dialog.remove();
  });
})();
