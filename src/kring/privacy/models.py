"""The privacy app's own records: legal holds and what retention erased (issue 14, point 7)."""
