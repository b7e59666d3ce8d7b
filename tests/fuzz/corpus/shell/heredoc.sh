cat <<EOF > policy.json
{"Version": "2012-10-17", "Cmd": "$(whoami)"}
EOF
for i in $(seq 1 3); do echo "$i" `date`; done
case "$x" in a) echo a;; *) echo b;; esac
