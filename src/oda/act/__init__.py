"""Acting on scores: worklists (capacity, grouping, exploration slice) and their exports."""
