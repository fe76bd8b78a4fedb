// picker.js - search-as-you-type for the reference fields of forms
// (input.picker): asks GET /api/v1/suggest/{collection}/{field}?q= and lists
// the choices under the box (ARIA combobox with a listbox). Choosing one puts
// "#id name" in the box (the name alone in a data-plain box); the server
// resolves it, or a typed code or exact name, on submit - so the form works
// the same without this script.
(function () {
	'use strict';
	var seq = 0;

	function setup(input) {
		var list = document.createElement('ul');
		var id = input.id + '-choices';
		var items = [];
		var active = -1;
		var timer = null;
		var asked = 0;
		list.id = id;
		list.className = 'picker-list';
		list.setAttribute('role', 'listbox');
		list.hidden = true;
		input.parentNode.insertBefore(list, input.nextSibling);
		input.setAttribute('role', 'combobox');
		input.setAttribute('aria-autocomplete', 'list');
		input.setAttribute('aria-controls', id);
		input.setAttribute('aria-expanded', 'false');

		function close() {
			list.hidden = true;
			active = -1;
			input.setAttribute('aria-expanded', 'false');
			input.removeAttribute('aria-activedescendant');
		}

		function mark(i) {
			var opts = list.children;
			for (var k = 0; k < opts.length; k++)
				opts[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
			active = i;
			if (i >= 0) input.setAttribute('aria-activedescendant', opts[i].id);
			else input.removeAttribute('aria-activedescendant');
		}

		function choose(i) {
			if (i < 0 || i >= items.length) return;
			/* A plain picker (a lot's origin) takes the words, not a record. */
			input.value = input.hasAttribute('data-plain') ? items[i].label : items[i].value;
			close();
			input.dispatchEvent(new Event('change', { bubbles: true }));
		}

		function show(found) {
			items = found;
			list.textContent = '';
			found.forEach(function (it, i) {
				var li = document.createElement('li');
				li.id = id + '-' + i;
				li.setAttribute('role', 'option');
				li.setAttribute('aria-selected', 'false');
				li.textContent = it.label;
				if (it.hint) {
					var small = document.createElement('small');
					small.textContent = it.hint;
					li.appendChild(small);
				}
				li.addEventListener('mousedown', function (ev) {
					ev.preventDefault(); // keep the focus in the box
					choose(i);
				});
				list.appendChild(li);
			});
			list.hidden = found.length === 0;
			input.setAttribute('aria-expanded', found.length ? 'true' : 'false');
			active = -1;
		}

		function ask() {
			var q = input.value.trim();
			if (q.charAt(0) === '#' || q.length < 1) return close();
			var mine = ++seq;
			asked = mine;
			fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), {
				credentials: 'same-origin',
				headers: { Accept: 'application/json' }
			})
				.then(function (r) {
					return r.ok ? r.json() : { items: [] };
				})
				.then(function (body) {
					if (asked === mine) show(body.items || []);
				})
				.catch(close);
		}

		input.addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(ask, 150);
		});
		input.addEventListener('keydown', function (ev) {
			if (list.hidden) return;
			if (ev.key === 'ArrowDown') mark(Math.min(active + 1, items.length - 1));
			else if (ev.key === 'ArrowUp') mark(Math.max(active - 1, 0));
			else if (ev.key === 'Enter' && active >= 0) choose(active);
			else if (ev.key === 'Escape') close();
			else return;
			ev.preventDefault();
		});
		input.addEventListener('blur', close);
	}

	var boxes = document.querySelectorAll('input.picker[data-suggest]');
	for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
})();
