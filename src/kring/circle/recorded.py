"""What is recorded about a participant (acknowledgments, consents, conversations, invitations),
read once. `queries.load_circle` loads each as a plain list on the participant (LOADED's
attribute names); `readiness_people` and others prefetch them. The guards and policies read them
here: from those lists when loaded, from the database otherwise (issue 15: the circle page
evaluated its prefetched relations over a hundred times per request).

The lists are a snapshot of when they were loaded, and nothing refreshes them: Django clears a
prefetched relation when a row is added through it, never a `to_attr` list. So load them only
for a page that reads (the circle page, `load_circle` in a safe request), never for a
participant that an action then changes and a policy asks about again in the same request;
actions read their participant afresh under a lock (`actions._locked`), so from the database."""

# The relation -> the attribute load_circle fills with a list of its current rows.
LOADED = {
    "acknowledgments": "acknowledgment_list",
    "consents": "consent_list",
    "conversations": "conversation_list",
    "invitations": "invitation_list",
}


def loaded(participant, relation: str) -> list | None:
    """The rows of `relation` already loaded for `participant` (as a list by load_circle, or
    prefetched), or None when they are not."""
    rows = getattr(participant, LOADED[relation], None)
    if rows is not None:
        return rows
    prefetched = getattr(participant, "_prefetched_objects_cache", {}).get(relation)
    return list(prefetched) if prefetched is not None else None


def recorded(participant, relation: str) -> list:
    """The rows of `relation` for `participant`: loaded, or read now."""
    rows = loaded(participant, relation)
    return rows if rows is not None else list(getattr(participant, relation).all())


def any_recorded(participant, relation: str) -> bool:
    """Whether `participant` has a row of `relation`: from the loaded rows, or one query."""
    rows = loaded(participant, relation)
    return bool(rows) if rows is not None else getattr(participant, relation).exists()
