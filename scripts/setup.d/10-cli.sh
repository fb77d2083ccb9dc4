# The CLI's interactive-menu test drives the menu in a real terminal through tmux.
apt_install tmux
