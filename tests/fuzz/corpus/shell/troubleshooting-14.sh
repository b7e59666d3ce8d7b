# Voir les events
aws ecs describe-services \
  --cluster my-cluster \
  --services ma-app-service \
  --query 'services[0].events[:10].message'
