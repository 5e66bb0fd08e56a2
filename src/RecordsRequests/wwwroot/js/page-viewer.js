// The review pages' page viewer (Features/Redactions/_PageViewer.cshtml): one page at a time, with zoom, its words
// laid transparently over the picture and its redaction boxes drawn on it. Everything on a page is positioned in
// percent of the page from data attributes in points (our CSP allows element.style, not style attributes), so zooming
// only changes the size of the sheet.
//
// With a form (data-form) the viewer also redacts: dragging over words (or arrow keys in the page's word list, Shift
// to extend) fills in the character offsets of the first and last word selected; in "draws a box" mode a rectangle
// dragged on the page (or typed in the form, or nudged with the keyboard) fills in page, x, y, width and height in points.
(function () {
    'use strict';
    var cssPixelsPerPoint = 96 / 72;
    var zooms = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
    var viewers = {};

    function data(element, name) {
        return parseFloat(element.getAttribute('data-' + name));
    }

    function round(value) {
        return Math.round(value * 100) / 100;
    }

    function place(element, x, y, width, height, pageWidth, pageHeight) {
        element.style.left = (x / pageWidth * 100) + '%';
        element.style.top = (y / pageHeight * 100) + '%';
        element.style.width = (width / pageWidth * 100) + '%';
        element.style.height = (height / pageHeight * 100) + '%';
    }

    function setUp(root) {
        var figures = Array.prototype.slice.call(root.querySelectorAll('figure.page'));
        if (figures.length === 0) {
            return;
        }
        var container = root.querySelector('.viewer-pages');
        var pageInput = root.querySelector('.page-number');
        var zoomLevel = root.querySelector('.zoom-level');
        var form = root.getAttribute('data-form') ? document.getElementById(root.getAttribute('data-form')) : null;
        var current = 1;
        var zoom = null; // null: fit the page to the width available

        var pages = figures.map(function (figure) {
            var page = {
                number: data(figure, 'page'),
                width: data(figure, 'width'),
                height: data(figure, 'height'),
                figure: figure,
                sheet: figure.querySelector('.page-sheet'),
                layer: figure.querySelector('.page-words'),
                words: Array.prototype.slice.call(figure.querySelectorAll('.word')),
            };
            figure.querySelectorAll('.word, .box').forEach(function (element) {
                place(element, data(element, 'x'), data(element, 'y'), data(element, 'w'), data(element, 'h'), page.width, page.height);
            });
            page.words.forEach(function (word, index) {
                word.id = root.id + '-p' + page.number + '-w' + index;
                word.setAttribute('data-index', index);
            });
            return page;
        });

        function pageOf(number) {
            return pages[Math.min(Math.max(number, 1), pages.length) - 1];
        }

        function applyZoom() {
            pages.forEach(function (page) {
                var scale = zoom === null ? Math.max(0.2, (container.clientWidth - 24) / page.width) : zoom * cssPixelsPerPoint;
                page.sheet.style.width = Math.round(page.width * scale) + 'px';
                page.sheet.style.height = Math.round(page.height * scale) + 'px';
            });
            var shown = pageOf(current);
            var percent = Math.round(shown.sheet.getBoundingClientRect().width / shown.width / cssPixelsPerPoint * 100);
            zoomLevel.textContent = (zoom === null ? 'fit width, ' : '') + (percent > 0 ? percent + '%' : '');
        }

        function goTo(number) {
            current = Math.min(Math.max(number, 1), pages.length);
            pages.forEach(function (page) {
                page.figure.hidden = page.number !== current;
            });
            pageInput.value = current;
            root.querySelector('[data-action="previous"]').disabled = current === 1;
            root.querySelector('[data-action="next"]').disabled = current === pages.length;
            // The zoom in words depends on the page shown (pages may differ in size).
            applyZoom();
        }

        function currentScale() {
            var page = pageOf(current);
            return page.sheet.getBoundingClientRect().width / page.width;
        }

        function changeZoom(step) {
            var now = zoom === null ? currentScale() / cssPixelsPerPoint : zoom;
            var index = step > 0 ? zooms.findIndex(function (z) { return z > now + 0.01; }) : zooms.length - 1 - zooms.slice().reverse().findIndex(function (z) { return z < now - 0.01; });
            if (index >= 0 && index < zooms.length) {
                zoom = zooms[index];
                applyZoom();
            }
        }

        root.querySelector('.viewer-tools').addEventListener('click', function (event) {
            var action = event.target.closest('[data-action]');
            if (!action) {
                return;
            }
            switch (action.getAttribute('data-action')) {
                case 'previous': goTo(current - 1); break;
                case 'next': goTo(current + 1); break;
                case 'zoom-in': changeZoom(1); break;
                case 'zoom-out': changeZoom(-1); break;
                case 'fit': zoom = null; applyZoom(); break;
            }
        });
        pageInput.addEventListener('change', function () {
            goTo(parseInt(pageInput.value, 10) || 1);
        });
        root.addEventListener('keydown', function (event) {
            if (event.key === 'PageDown' || event.key === 'PageUp') {
                goTo(current + (event.key === 'PageDown' ? 1 : -1));
                event.preventDefault();
            }
        });
        window.addEventListener('resize', function () {
            if (zoom === null) {
                applyZoom();
            }
        });

        root.classList.add('ready');
        goTo(1);

        viewers[root.id] = {
            show: function (redactionId, number) {
                goTo(number);
                var boxes = pageOf(number).figure.querySelectorAll('.box[data-redaction="' + redactionId + '"]');
                boxes.forEach(function (box) {
                    box.classList.add('flash');
                    window.setTimeout(function () { box.classList.remove('flash'); }, 2500);
                });
                if (boxes.length > 0) {
                    boxes[0].scrollIntoView({ block: 'center' });
                }
            },
        };

        if (form) {
            redactWith(root, form, pages, pageOf, goTo);
        }
        // After adding a redaction the page returns showing it, where the officer was working.
        if (root.getAttribute('data-show-redaction')) {
            viewers[root.id].show(root.getAttribute('data-show-redaction'), parseInt(root.getAttribute('data-show-page'), 10));
        }
    }

    function redactWith(root, form, pages, pageOf, goTo) {
        var field = function (name) { return form.elements['Add.' + name]; };
        var shown = form.querySelector('.selection-text');
        var selection = null; // { page, anchor, focus } as word indices on that page
        var selected = [];
        var dragging = null;
        // Counsel's form sits folded under each record; a selection or a box unfolds it so its fields are seen.
        var fold = form.closest('details');
        function unfold() {
            if (fold) {
                fold.open = true;
            }
        }

        // ---- Words -------------------------------------------------------------------------------------------
        function showSelection() {
            selected.forEach(function (word) {
                word.classList.remove('selected');
                word.setAttribute('aria-selected', 'false');
            });
            selected = [];
            if (selection === null) {
                field('Start').value = '';
                field('End').value = '';
                shown.textContent = 'nothing';
                return;
            }
            var words = selection.page.words;
            var from = Math.min(selection.anchor, selection.focus);
            var to = Math.max(selection.anchor, selection.focus);
            for (var i = from; i <= to; i++) {
                words[i].classList.add('selected');
                words[i].setAttribute('aria-selected', 'true');
                selected.push(words[i]);
            }
            field('Start').value = words[from].getAttribute('data-start');
            field('End').value = words[to].getAttribute('data-end');
            field('Exact').value = '';
            unfold();
            var text = selected.map(function (word) { return word.textContent; }).join(' ');
            shown.textContent = (text.length > 120 ? text.slice(0, 117) + '…' : text) + ' (page ' + selection.page.number + ')';
        }

        function activate(page, index) {
            page.words.forEach(function (word) { word.classList.remove('active'); });
            var word = page.words[index];
            if (word) {
                word.classList.add('active');
                page.layer.setAttribute('aria-activedescendant', word.id);
            }
        }

        function wordIndex(target) {
            var word = target.closest ? target.closest('.word') : null;
            return word ? parseInt(word.getAttribute('data-index'), 10) : -1;
        }

        // The word on the next or previous line nearest to the given word's centre, for the up and down arrows.
        function lineNeighbour(page, index, direction) {
            var words = page.words;
            var line = words[index].getAttribute('data-line');
            var centre = data(words[index], 'x') + data(words[index], 'w') / 2;
            var i = index;
            while (i >= 0 && i < words.length && words[i].getAttribute('data-line') === line) {
                i += direction;
            }
            if (i < 0 || i >= words.length) {
                return index;
            }
            var target = words[i].getAttribute('data-line');
            var best = i;
            for (var j = i; j >= 0 && j < words.length && words[j].getAttribute('data-line') === target; j += direction) {
                var distance = Math.abs(data(words[j], 'x') + data(words[j], 'w') / 2 - centre);
                if (distance < Math.abs(data(words[best], 'x') + data(words[best], 'w') / 2 - centre)) {
                    best = j;
                }
            }
            return best;
        }

        pages.forEach(function (page) {
            var layer = page.layer;
            layer.addEventListener('mousedown', function (event) {
                var index = wordIndex(event.target);
                if (event.button !== 0 || index < 0) {
                    return;
                }
                event.preventDefault();
                layer.focus({ preventScroll: true });
                if (event.shiftKey && selection && selection.page === page) {
                    selection.focus = index;
                } else {
                    selection = { page: page, anchor: index, focus: index };
                }
                dragging = page;
                activate(page, index);
                showSelection();
            });
            layer.addEventListener('mouseover', function (event) {
                var index = wordIndex(event.target);
                if (dragging === page && index >= 0 && selection) {
                    selection.focus = index;
                    activate(page, index);
                    showSelection();
                }
            });
            layer.addEventListener('focus', function () {
                if (!selection || selection.page !== page) {
                    activate(page, 0);
                }
            });
            layer.addEventListener('keydown', function (event) {
                if (page.words.length === 0) {
                    return;
                }
                var at = selection && selection.page === page ? selection.focus : parseInt((layer.querySelector('.word.active') || page.words[0]).getAttribute('data-index'), 10);
                var next = at;
                switch (event.key) {
                    case 'ArrowRight': next = Math.min(at + 1, page.words.length - 1); break;
                    case 'ArrowLeft': next = Math.max(at - 1, 0); break;
                    case 'ArrowDown': next = lineNeighbour(page, at, 1); break;
                    case 'ArrowUp': next = lineNeighbour(page, at, -1); break;
                    case 'Home': next = 0; break;
                    case 'End': next = page.words.length - 1; break;
                    case ' ':
                        // Space selects the word under the cursor, for a first word without moving.
                        selection = { page: page, anchor: at, focus: at };
                        showSelection();
                        event.preventDefault();
                        return;
                    case 'Escape':
                        selection = null;
                        showSelection();
                        return;
                    case 'Enter':
                        if (selection) {
                            form.querySelector('.redact-words').focus();
                            event.preventDefault();
                        }
                        return;
                    default:
                        return;
                }
                event.preventDefault();
                if (event.shiftKey && selection && selection.page === page) {
                    selection.focus = next;
                } else {
                    selection = { page: page, anchor: next, focus: next };
                }
                activate(page, next);
                page.words[next].scrollIntoView({ block: 'nearest', inline: 'nearest' });
                showSelection();
            });
        });
        document.addEventListener('mouseup', function () {
            dragging = null;
            if (drawing) {
                finishDrawing();
            }
        });
        // Typing the exact text replaces a selection on the page (the server takes offsets first).
        field('Exact').addEventListener('input', function () {
            var typed = field('Exact').value;
            if (typed !== '' && selection) {
                selection = null;
                showSelection();
                field('Exact').value = typed;
            }
        });

        // ---- Areas -------------------------------------------------------------------------------------------
        var draft = null; // { page, x, y, width, height } in points
        var draftBox = document.createElement('div');
        draftBox.className = 'box draft';
        draftBox.tabIndex = 0;
        draftBox.setAttribute('role', 'img');
        var drawing = null;

        root.querySelectorAll('.mouse-mode input').forEach(function (radio) {
            radio.addEventListener('change', function () {
                root.classList.toggle('drawing', radio.checked && radio.value === 'area');
            });
        });

        function showDraft(fill) {
            if (draft === null) {
                draftBox.remove();
                return;
            }
            var page = draft.page;
            if (draftBox.parentNode !== page.sheet) {
                page.sheet.appendChild(draftBox);
            }
            place(draftBox, draft.x, draft.y, draft.width, draft.height, page.width, page.height);
            draftBox.setAttribute('aria-label', 'Box to redact on page ' + page.number + ': x ' + round(draft.x) + ', y ' + round(draft.y)
                + ', ' + round(draft.width) + ' by ' + round(draft.height) + ' points. Arrow keys move it, Ctrl with an arrow resizes it, Enter redacts it.');
            if (fill) {
                field('Page').value = page.number;
                field('X').value = round(draft.x);
                field('Y').value = round(draft.y);
                field('Width').value = round(draft.width);
                field('Height').value = round(draft.height);
                field('Unit').value = 'Points';
                unfold();
            }
        }

        function pointOn(page, event) {
            var rect = page.sheet.getBoundingClientRect();
            return {
                x: Math.min(Math.max((event.clientX - rect.left) / rect.width * page.width, 0), page.width),
                y: Math.min(Math.max((event.clientY - rect.top) / rect.height * page.height, 0), page.height),
            };
        }

        function finishDrawing() {
            var done = drawing;
            drawing = null;
            if (draft && (draft.width < 2 || draft.height < 2)) {
                draft = done.previous;
                showDraft(true);
                return;
            }
            draftBox.focus({ preventScroll: true });
        }

        pages.forEach(function (page) {
            page.sheet.addEventListener('mousedown', function (event) {
                if (!root.classList.contains('drawing') || event.button !== 0 || event.target.closest('.draft')) {
                    return;
                }
                event.preventDefault();
                var start = pointOn(page, event);
                drawing = { page: page, start: start, previous: draft };
                draft = { page: page, x: start.x, y: start.y, width: 0, height: 0 };
                showDraft(false);
            });
        });
        document.addEventListener('mousemove', function (event) {
            if (!drawing) {
                return;
            }
            var point = pointOn(drawing.page, event);
            draft = {
                page: drawing.page,
                x: Math.min(point.x, drawing.start.x),
                y: Math.min(point.y, drawing.start.y),
                width: Math.abs(point.x - drawing.start.x),
                height: Math.abs(point.y - drawing.start.y),
            };
            showDraft(true);
        });
        draftBox.addEventListener('keydown', function (event) {
            if (!draft) {
                return;
            }
            var step = event.shiftKey ? 10 : 1;
            var dx = 0;
            var dy = 0;
            switch (event.key) {
                case 'ArrowRight': dx = step; break;
                case 'ArrowLeft': dx = -step; break;
                case 'ArrowDown': dy = step; break;
                case 'ArrowUp': dy = -step; break;
                case 'Enter': form.querySelector('.redact-area').click(); event.preventDefault(); return;
                case 'Escape': draft = null; showDraft(false); ['Page', 'X', 'Y', 'Width', 'Height'].forEach(function (n) { field(n).value = ''; }); return;
                default: return;
            }
            event.preventDefault();
            var page = draft.page;
            // Ctrl or Alt with an arrow resizes (Alt alone is the browser's back and forward on some systems, so both).
            if (event.ctrlKey || event.altKey) {
                draft.width = Math.min(Math.max(draft.width + dx, 2), page.width - draft.x);
                draft.height = Math.min(Math.max(draft.height + dy, 2), page.height - draft.y);
            } else {
                draft.x = Math.min(Math.max(draft.x + dx, 0), page.width - draft.width);
                draft.y = Math.min(Math.max(draft.y + dy, 0), page.height - draft.height);
            }
            showDraft(true);
        });

        // Typed coordinates show as the box on the page, in points or percent of the page.
        function fromFields() {
            var page = pages.filter(function (p) { return p.number === parseInt(field('Page').value, 10); })[0];
            var values = ['X', 'Y', 'Width', 'Height'].map(function (n) { return parseFloat(field(n).value); });
            if (!page || values.some(isNaN)) {
                return;
            }
            if (field('Unit').value === 'Percent') {
                values = [values[0] * page.width / 100, values[1] * page.height / 100, values[2] * page.width / 100, values[3] * page.height / 100];
            }
            draft = { page: page, x: values[0], y: values[1], width: values[2], height: values[3] };
            goTo(page.number);
            showDraft(false);
        }
        form.querySelectorAll('.area-choice input, .area-choice select').forEach(function (input) {
            input.addEventListener('input', fromFields);
            input.addEventListener('change', fromFields);
            // Enter in a coordinate redacts the area, not the words (the form's first button).
            input.addEventListener('keydown', function (event) {
                if (event.key === 'Enter') {
                    event.preventDefault();
                    form.querySelector('.redact-area').click();
                }
            });
        });
    }

    document.querySelectorAll('.page-viewer').forEach(setUp);

    // "page 2" in a list of redactions shows that page and makes the redaction's boxes flash.
    document.addEventListener('click', function (event) {
        var button = event.target.closest ? event.target.closest('.show-box') : null;
        var viewer = button ? viewers[button.getAttribute('data-viewer')] : null;
        if (viewer) {
            viewer.show(button.getAttribute('data-redaction'), parseInt(button.getAttribute('data-page'), 10));
        }
    });
})();
