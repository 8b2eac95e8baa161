// Alexis: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  var FRAGMENT_HEADERS = { "X-Requested-With": "fetch" };

  // Times are shown in the reader's own time zone: tell the server which one that is
  // (ui.middleware.UserTimeZoneMiddleware reads the cookie on the next request).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.split("; ").indexOf("alexis_tz=" + zone) === -1) {
      document.cookie = "alexis_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) { /* no Intl: the server's time zone is used */ }

  // Fetch an HTML fragment of our own site; on a redirect (e.g. the session ended) or an
  // error, load the page normally so that the user sees what happened.
  function fetchFragment(url, signal) {
    return fetch(url, { headers: FRAGMENT_HEADERS, credentials: "same-origin", signal: signal })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          window.location.assign(url);
          return null;
        }
        return response.text();
      });
  }

  // Directory: search as you type and apply filters without a page load.
  function liveSearch(form) {
    var results = document.querySelector(form.dataset.results);
    var status = document.querySelector("[data-live-status]");
    var exportLink = document.querySelector(form.dataset.export);
    var timer = null;
    var controller = null;

    function queryString() {
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (key) {
        if (!params.get(key)) params.delete(key);
      });
      var text = params.toString();
      return text ? "?" + text : "";
    }

    function refresh() {
      var query = queryString();
      var url = form.action + query;
      if (controller) controller.abort();
      controller = new AbortController();
      fetchFragment(url, controller.signal).then(function (html) {
        if (html === null) return;
        results.innerHTML = html;
        window.history.replaceState(null, "", url);
        if (exportLink) exportLink.href = exportLink.pathname + query;
        var count = results.querySelector("[data-result-count]");
        if (status && count) status.textContent = count.textContent;
      }).catch(function (error) {
        if (error.name !== "AbortError") window.location.assign(url);
      });
    }

    form.addEventListener("input", function (event) {
      if (!event.target.matches("[data-live-search]")) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") refresh();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      refresh();
    });
  }

  // Manager field: suggest employees (by name, user name...) as the user types.
  function suggestions(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var controller = null;
    input.addEventListener("input", function (event) {
      window.clearTimeout(timer);
      var query = input.value.trim();
      // Picking a suggestion (not typing) goes straight to that person.
      var picked = list && Array.from(list.options).some(function (option) {
        return option.value === input.value;
      });
      if (picked && input.form && input.hasAttribute("data-submit-on-pick") &&
          (!event.inputType || event.inputType === "insertReplacementText")) {
        input.form.requestSubmit();
        return;
      }
      if (query.length < 2 || !list) return;
      timer = window.setTimeout(function () {
        if (controller) controller.abort();
        controller = new AbortController();
        var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
        fetch(url, { headers: FRAGMENT_HEADERS, credentials: "same-origin", signal: controller.signal })
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) { list.innerHTML = html; })
          .catch(function () {});
      }, 250);
    });
  }

  var PHONE = "(max-width: 640px)";

  // Phone: the main menu folds behind a Menu button (without JavaScript it stays open).
  function compactMenu(toggle) {
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    toggle.hidden = false;
    document.documentElement.classList.add("has-menu-toggle");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
    });
  }

  // Phone: filters start folded unless one is in use, so results show on the first screen.
  function collapseFilters(details) {
    if (!window.matchMedia(PHONE).matches) return;
    var inUse = Array.from(details.querySelectorAll("select, input")).some(function (field) {
      return field.value && field.type !== "hidden";
    });
    details.open = inUse;
  }

  // "/" anywhere (outside a field) jumps to the header's search box, as on GitHub or Gmail.
  function searchShortcut(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var box = document.querySelector("[data-search-shortcut]");
    if (!box) return;
    event.preventDefault();
    var toggle = document.querySelector(".menu-toggle[aria-expanded='false']:not([hidden])");
    if (toggle && box.offsetParent === null) toggle.click();
    box.focus();
    box.select();
  }

  document.addEventListener("keydown", searchShortcut);

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".menu-toggle[aria-controls]").forEach(compactMenu);
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(collapseFilters);
    document.querySelectorAll("input[data-suggest-url]").forEach(suggestions);
    document.querySelectorAll("form[data-live-form]").forEach(liveSearch);
  });
})();
