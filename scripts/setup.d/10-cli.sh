# The CLI's interactive-menu test drives the menu in a real terminal through tmux.
apt_install tmux
# `spotkit history report`'s test renders the page in headless Chromium and checks the screenshot
# (SPOTKIT_REQUIRE_BROWSER, exported by 30-server.sh, makes a missing browser a failure).
apt_install chromium
