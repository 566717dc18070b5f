"""Who reaches what: signing in and out (`auth_session`), passwords, tokens, headers and the
sign-in limits (`security`), what each role may do (`permissions`), which rows a user
reaches (`scope`), and what every request must be before a view sees it (`edge`)."""
