"""Keeping a scrolled view at its end while what it shows grows: a running job, a stream.

The end is kept where the layout is made (the virtual size's watcher, and a
resize), not in a scroll asked for "after the next refresh": on a busy machine
that refresh can come before the layout it was meant to follow, and the view
stops short of the end. Whether to follow is a state, not a look at the scroll
position on each update: that look, taken while a scroll was still to come,
read as "the user scrolled away", and a job's result went unseen below its logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    _Scrollable = Widget
else:
    _Scrollable = object


class FollowsEnd(_Scrollable):
    """Mixin for a scrollable widget: while ``follow`` is set, keep to the end as the
    content grows, until the user scrolls up from it; back at the end, follow again.

    A subclass that scrolls itself up (``TextArea`` to its cursor) must not do so
    while following: that would read as the user's move.
    """

    follow = False
    """The owner wants the end kept (its job is running, its stream arriving)."""
    away = False
    """The user scrolled away from the end and has not come back to it."""

    @property
    def following(self) -> bool:
        return self.follow and not self.away

    def keep_to_end(self) -> None:
        if self.following:
            self.scroll_end(animate=False, immediate=True)

    def watch_virtual_size(self) -> None:
        self.keep_to_end()

    def on_resize(self) -> None:
        self.keep_to_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # While following, only the user moves the view up off the end (keys, wheel,
        # scroll bar, a search): keeping to the end moves it down, or up to the new end
        # of content that shrank.
        if new_value >= self.max_scroll_y:
            self.away = False
        elif new_value < old_value:
            self.away = True
