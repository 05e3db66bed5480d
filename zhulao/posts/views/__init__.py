"""Staff pages of facilities, posts and recruitment (public pages are in ``zhulao.posts.public``)."""
