// The console's few behaviours in the browser: the viewer's time zone, copy buttons,
// the usage charts and the playground's stream. Everything else is server-rendered HTML, with htmx swapping parts in place.
(function () {
  'use strict';

  // The server shows times in the zone this cookie names.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = 'console-tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) { /* UTC stays */ }

  function csrf() {
    var header = document.querySelector('meta[name="csrf-header"]');
    var token = document.querySelector('meta[name="csrf-token"]');
    var headers = {'Content-Type': 'application/json'};
    if (header && token) { headers[header.content] = token.content; }
    return headers;
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) { return; }
    var field = document.querySelector(button.getAttribute('data-copy'));
    var done = function () { button.textContent = button.getAttribute('data-copied') || 'Copied'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else {
      field.select();
      document.execCommand('copy');
      done();
    }
  });

  // A key created in this tab: its secret stays in this tab (sessionStorage) for the playground.
  var created = document.getElementById('created-key');
  if (created) {
    sessionStorage.setItem('key-secret:' + created.getAttribute('data-key-id'), document.getElementById('secret').value);
  }

  function charts() {
    var data = document.getElementById('usage-data');
    if (!data || !window.Chart) { return; }
    var usage = JSON.parse(data.textContent);
    var palette = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
    var sets = function (series) {
      return Object.keys(series).map(function (name, i) {
        return {label: name, data: series[name], backgroundColor: palette[i % palette.length]};
      });
    };
    var options = {responsive: true, maintainAspectRatio: false, animation: false,
      scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}};
    var tokens = document.getElementById('tokens-chart');
    if (tokens) {
      new Chart(tokens, {type: 'bar', data: {labels: usage.days, datasets: sets(usage.tokensByModel)}, options: options});
    }
    var spend = document.getElementById('spend-chart');
    if (spend) {
      new Chart(spend, {type: 'bar', data: {labels: usage.days, datasets: sets(usage.spendByTier)}, options: options});
    }
  }

  function playground() {
    var form = document.getElementById('playground');
    if (!form) { return; }
    var key = document.getElementById('pg-key');
    var secret = document.getElementById('pg-secret');
    var fill = function () {
      var stored = sessionStorage.getItem('key-secret:' + key.value);
      secret.value = stored || '';
    };
    key.addEventListener('change', fill);
    fill();
    var out = {
      reasoning: document.getElementById('pg-reasoning'), answer: document.getElementById('pg-answer'),
      ttft: document.getElementById('pg-ttft'), speed: document.getElementById('pg-speed'),
      tokens: document.getElementById('pg-tokens'), cost: document.getElementById('pg-cost'),
      error: document.getElementById('pg-error'), send: document.getElementById('pg-send')
    };
    var nf = new Intl.NumberFormat(document.documentElement.lang, {maximumFractionDigits: 1});

    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      out.reasoning.textContent = ''; out.answer.textContent = ''; out.error.hidden = true;
      out.ttft.textContent = out.speed.textContent = out.tokens.textContent = out.cost.textContent = '…';
      out.send.disabled = true;
      var model = document.getElementById('pg-model').value;
      var started = performance.now(), first = null, usage = null;
      try {
        var response = await fetch(form.getAttribute('data-stream'), {method: 'POST', headers: csrf(), body: JSON.stringify({
          secret: secret.value, model: model, prompt: document.getElementById('pg-prompt').value,
          maxTokens: parseInt(document.getElementById('pg-max').value, 10) || null})});
        if (!response.ok) {
          var text = await response.text(), message = text;
          try { message = JSON.parse(text).error.message; } catch (e) { /* not JSON */ }
          throw new Error(message || ('HTTP ' + response.status));
        }
        var reader = response.body.getReader(), decoder = new TextDecoder(), buffer = '';
        for (;;) {
          var step = await reader.read();
          if (step.done) { break; }
          buffer += decoder.decode(step.value, {stream: true});
          var events = buffer.split('\n\n');
          buffer = events.pop();
          events.forEach(function (block) {
            block.split('\n').forEach(function (line) {
              if (line.indexOf('data:') !== 0) { return; }
              var payload = line.slice(5).trim();
              if (payload === '[DONE]' || payload === '') { return; }
              var chunk = JSON.parse(payload);
              if (chunk.error) { throw new Error(chunk.error.message); }
              var delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
              if (delta && (delta.reasoning_content || delta.content)) {
                if (first === null) {
                  first = performance.now();
                  out.ttft.textContent = nf.format(first - started) + ' ms';
                }
                if (delta.reasoning_content) { out.reasoning.textContent += delta.reasoning_content; }
                if (delta.content) { out.answer.textContent += delta.content; }
              }
              if (chunk.usage) { usage = chunk.usage; }
            });
          });
        }
        var ended = performance.now();
        if (first === null) { out.ttft.textContent = '—'; }
        if (usage) {
          out.tokens.textContent = usage.prompt_tokens + ' / ' + usage.completion_tokens;
          var seconds = (ended - (first === null ? started : first)) / 1000;
          out.speed.textContent = seconds > 0 ? nf.format(usage.completion_tokens / seconds) : '—';
          var hit = usage.prompt_cache_hit_tokens || 0;
          var quote = await fetch(form.getAttribute('data-quote'), {method: 'POST', headers: csrf(), body: JSON.stringify({
            model: model, promptCacheHitTokens: hit, promptCacheMissTokens: usage.prompt_tokens - hit,
            completionTokens: usage.completion_tokens})});
          var priced = await quote.json();
          out.cost.textContent = priced.error ? priced.error : priced.cost + ' (' + priced.tier + ', ' + priced.priceBook + ')';
        } else {
          out.tokens.textContent = out.speed.textContent = out.cost.textContent = '—';
        }
      } catch (e) {
        out.error.textContent = e.message;
        out.error.hidden = false;
        out.ttft.textContent = out.speed.textContent = out.tokens.textContent = out.cost.textContent = '—';
      } finally {
        out.send.disabled = false;
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    charts();
    playground();
  });
})();
