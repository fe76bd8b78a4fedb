// jobs.js - keeps the progress bar of a background job's page (/jobs/{id})
// current: polls GET /api/v1/jobs/{id} and reloads the page once the job has
// ended, to show its outcome. Without JavaScript the page refreshes itself.
(function () {
	'use strict';
	var box = document.getElementById('job');
	if (!box || box.getAttribute('data-finished') === '1') return;
	var id = box.getAttribute('data-job');
	var status = box.getAttribute('data-status');
	var en = document.documentElement.lang === 'en';
	var bar = document.getElementById('job-progress');
	var msg = document.getElementById('job-message');
	var state = document.getElementById('job-status');
	var ENDED = { done: 1, failed: 1, cancelled: 1 };

	/* Messages are "tiếng Việt / English": the reader's half. */
	function half(text) {
		var i = text.indexOf(' / ');
		return i < 0 ? text : en ? text.slice(i + 3) : text.slice(0, i);
	}

	function show(job) {
		var p = job.progress;
		if (bar && p.total > 0) {
			bar.max = p.total;
			bar.value = Math.min(p.done, p.total);
			bar.textContent = p.done + ' / ' + p.total;
		}
		if (msg) msg.textContent = p.message ? half(p.message) : '';
		if (state && job.status === 'running' && status !== 'running') {
			state.textContent = state.getAttribute('data-running');
			status = 'running';
		}
	}

	function tick() {
		fetch('/api/v1/jobs/' + id, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
			.then(function (r) {
				if (!r.ok) throw new Error(String(r.status));
				return r.json();
			})
			.then(function (job) {
				show(job);
				/* Ended, or queued again (its server stopped): the page says how. */
				if (ENDED[job.status] || (job.status === 'queued' && status === 'running')) {
					window.location.reload();
					return;
				}
				setTimeout(tick, 400);
			})
			.catch(function () {
				setTimeout(tick, 2000);
			});
	}
	setTimeout(tick, 200);
})();
