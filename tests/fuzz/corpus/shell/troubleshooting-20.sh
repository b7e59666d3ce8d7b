# 1. Log group existe ?
aws logs describe-log-groups \
  --log-group-name-prefix /ecs/ma-app

# Créer si manquant
aws logs create-log-group --log-group-name /ecs/ma-app

# 2. Task Execution Role a les permissions logs ?
# Policy doit contenir :
{
  "Effect": "Allow",
  "Action": [
    "logs:CreateLogStream",
    "logs:PutLogEvents"
  ],
  "Resource": "*"
}

# 3. Task Definition a la config logs ?
"logConfiguration": {
  "logDriver": "awslogs",
  "options": {
    "awslogs-group": "/ecs/ma-app",
    "awslogs-region": "eu-west-3",
    "awslogs-stream-prefix": "ecs"
  }
}
