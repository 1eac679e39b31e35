"""The sidebar: the app's endpoints as a tree.

Named, documented endpoints first (what a user wants); undocumented and
unnamed ones under their own branches, collapsed, because they are rarely
what anyone means to call but sometimes exactly what they need.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...client.endpoints import Endpoint
from ..messages import EndpointSelected
from ..plain import LABEL_LIMIT, plain_text


def endpoint_label(endpoint: Endpoint) -> Text:
    # One line, cut: the form's title and the API view (F4) hold the whole name.
    label = plain_text(endpoint.name, limit=LABEL_LIMIT, line=True)
    if endpoint.is_generator:
        label.append(" ⟳", style="dim")
    return label


class EndpointTree(Tree[Endpoint | None]):
    """Endpoints of the connected app; enter or click opens one's form."""

    HELP: ClassVar[str] = (
        "The app's endpoints. **Enter** (or a click) opens an endpoint's form. "
        "⟳ marks endpoints that stream partial outputs. Undocumented and unnamed "
        "endpoints sit in collapsed branches: they can be called, but the app's "
        "author did not advertise them."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "expand", "Expand", show=False, id="tree-expand"),
        Binding("left", "collapse", "Collapse", show=False, id="tree-collapse"),
    ]

    def __init__(self, endpoints: Iterable[Endpoint] = (), **kwargs: object) -> None:
        super().__init__("endpoints", data=None, **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self._endpoint_nodes: dict[int, TreeNode[Endpoint | None]] = {}
        self.set_endpoints(endpoints)

    def set_endpoints(self, endpoints: Iterable[Endpoint]) -> None:
        self.clear()
        self._endpoint_nodes.clear()
        all_endpoints = list(endpoints)
        named = [e for e in all_endpoints if e.api_name and e.documented]
        hidden = [e for e in all_endpoints if e.api_name and not e.documented]
        unnamed = [e for e in all_endpoints if not e.api_name]
        for e in named:
            self._endpoint_nodes[e.fn_index] = self.root.add_leaf(endpoint_label(e), data=e)
        for title, group in (("undocumented", hidden), ("unnamed", unnamed)):
            if not group:
                continue
            branch = self.root.add(Text(f"{title} ({len(group)})", style="italic"), data=None)
            for e in group:
                self._endpoint_nodes[e.fn_index] = branch.add_leaf(endpoint_label(e), data=e)
        self.root.expand()

    def select_endpoint(self, endpoint: Endpoint) -> None:
        """Move the cursor to ``endpoint`` (opening its branch if need be)."""
        node = self._endpoint_nodes.get(endpoint.fn_index)
        if node is None:
            return
        if node.parent is not None and not node.parent.is_expanded:
            node.parent.expand()
        self.move_cursor(node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Endpoint | None]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(EndpointSelected(event.node.data))

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
            node.parent.collapse()
