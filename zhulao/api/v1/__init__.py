"""Version 1 of the JSON API: one router per domain, thin over services and selectors."""
