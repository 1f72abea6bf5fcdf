#!/bin/sh
# Add LeNet Digits to the desktop's application menu for this user (or take it out again).
#
#   ./install-desktop.sh [install|uninstall] [--exec PATH]
#
# Installs, under ${XDG_DATA_HOME:-~/.local/share}:
#   applications/lenet-app.desktop                   the menu entry, Exec= the absolute PATH
#   icons/hicolor/<N>x<N>/apps/lenet-app.png         N = 16 32 48 64 128 256
#   icons/hicolor/scalable/apps/lenet-app.svg
#   metainfo/io.github.lenet_app.LeNetDigits.metainfo.xml   AppStream (software centres)
#
# Run from an unpacked bundle (the script lies next to the `lenet-app` executable) it points
# the menu entry at that executable. From a source checkout (packaging/linux/) it needs
# --exec, which `make install-desktop` passes. Icons come from the app's own resources, so the
# menu, the window and the bundle show one icon.
set -eu

APP_ID=io.github.lenet_app.LeNetDigits
here=$(cd "$(dirname "$0")" && pwd)
action=install
exec_path=

while [ $# -gt 0 ]; do
    case "$1" in
        install|uninstall) action=$1 ;;
        --exec) exec_path=${2:?--exec needs a path}; shift ;;
        --exec=*) exec_path=${1#--exec=} ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-desktop.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

data=${XDG_DATA_HOME:-$HOME/.local/share}
desktop_file=$data/applications/lenet-app.desktop
metainfo_file=$data/metainfo/$APP_ID.metainfo.xml
sizes="16 32 48 64 128 256"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$data/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$action" = uninstall ]; then
    rm -f "$desktop_file" "$metainfo_file" "$data/icons/hicolor/scalable/apps/lenet-app.svg"
    for n in $sizes; do
        rm -f "$data/icons/hicolor/${n}x${n}/apps/lenet-app.png"
    done
    refresh_caches
    echo "LeNet Digits removed from the application menu ($data)"
    exit 0
fi

# Where the icons and the executable are: an unpacked bundle, or the source checkout.
if [ -d "$here/_internal/lenet_app/resources/icons" ]; then
    icons=$here/_internal/lenet_app/resources/icons
    : "${exec_path:=$here/lenet-app}"
else
    icons=$here/../../resources/icons
fi
if [ -z "$exec_path" ]; then
    echo "install-desktop.sh: pass --exec PATH, the lenet-app executable the menu entry starts" >&2
    exit 2
fi
case "$exec_path" in
    /*) ;;
    *) exec_path=$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path") ;;
esac
if [ ! -x "$exec_path" ]; then
    echo "install-desktop.sh: $exec_path is not an executable" >&2
    exit 2
fi
case "$exec_path" in
    *[\"\`\$\\%]*) echo "install-desktop.sh: unsupported character in $exec_path" >&2; exit 2 ;;
esac
if [ ! -f "$icons/lenet-app.svg" ]; then
    echo "install-desktop.sh: icons not found in $icons" >&2
    exit 2
fi

mkdir -p "$data/applications" "$data/metainfo" "$data/icons/hicolor/scalable/apps"
# Exec= is quoted (the path may hold spaces); TryExec= takes the bare path.
sed -e "s|^Exec=.*|Exec=\"$exec_path\"|" -e "s|^TryExec=.*|TryExec=$exec_path|" \
    "$here/lenet-app.desktop" > "$desktop_file.tmp"
mv "$desktop_file.tmp" "$desktop_file"
cp "$here/$APP_ID.metainfo.xml" "$metainfo_file"
cp "$icons/lenet-app.svg" "$data/icons/hicolor/scalable/apps/lenet-app.svg"
for n in $sizes; do
    mkdir -p "$data/icons/hicolor/${n}x${n}/apps"
    cp "$icons/lenet-app-$n.png" "$data/icons/hicolor/${n}x${n}/apps/lenet-app.png"
done
refresh_caches
echo "LeNet Digits added to the application menu: $desktop_file -> $exec_path"
