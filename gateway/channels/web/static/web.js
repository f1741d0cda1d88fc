// Small enhancements only; every page works without script. Moves focus to a form's problem list so screen readers
// read it first, and offers "use my location" where the browser can tell it.
(function () {
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  var button = document.getElementById('locate');
  var status = document.getElementById('locate-status');
  if (!button || !status || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.geolocation.getCurrentPosition(
      function (p) {
        var lat = p.coords.latitude.toFixed(6);
        var lng = p.coords.longitude.toFixed(6);
        document.querySelector('input[name=latitude]').value = lat;
        document.querySelector('input[name=longitude]').value = lng;
        status.textContent = button.getAttribute('data-ok').replace('{lat}', lat).replace('{lng}', lng);
      },
      function () {
        status.textContent = button.getAttribute('data-fail');
      },
      { timeout: 10000 },
    );
  });
})();
