"""Key hints in the moderator's language.

Textual declares bindings on the class, with fixed descriptions; the console's language is only
known at run time. Every binding therefore carries an ``id``, and :func:`translate_bindings`
rewrites the descriptions of one widget's (instance-owned) bindings from ``console.key.<id>``.
The same labels name the entries of the command palette, so a key and its palette entry always
read the same.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from facilitator.i18n import Translate


def key(keys: str, action: str, name: str, *, show: bool = True, priority: bool = False) -> Binding:
    """A binding named ``name`` (its id and its untranslated description)."""
    return Binding(keys, action, name, show=show, priority=priority, id=name)


def translate_bindings(node: DOMNode, tr: Translate) -> None:
    """Give ``node``'s key hints their ``console.key.<id>`` labels."""
    for keys, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[keys] = [
            dataclasses.replace(b, description=tr(f"console.key.{b.id}")) if b.id else b
            for b in bindings
        ]
