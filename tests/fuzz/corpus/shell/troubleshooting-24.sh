# Voir les tasks en cours
aws ecs list-tasks --cluster my-cluster

# Détails (CPU/Memory)
aws ecs describe-tasks \
  --cluster my-cluster \
  --tasks $(aws ecs list-tasks --cluster my-cluster --query 'taskArns' --output text)
