# Créer le log group manuellement
aws logs create-log-group --log-group-name /ecs/ma-app

# Ou activer auto-création dans Task Definition
"logConfiguration": {
  "logDriver": "awslogs",
  "options": {
    "awslogs-create-group": "true",
    ...
  }
}
