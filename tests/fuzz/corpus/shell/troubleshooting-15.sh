# 1. Arrêter le service
aws ecs update-service \
  --cluster my-cluster \
  --service ma-app-service \
  --desired-count 0

# 2. Lancer une task standalone pour debug
aws ecs run-task \
  --cluster my-cluster \
  --task-definition ma-app:1 \
  --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[subnet-xxx],securityGroups=[sg-xxx],assignPublicIp=ENABLED}"

# 3. Voir les logs
aws logs tail /ecs/ma-app --follow
