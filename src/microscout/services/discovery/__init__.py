"""Discovery: the vector index, the niche stage, search and lookalikes.

Also their request models, training the niche model, and the planner's semantic candidates.
"""
