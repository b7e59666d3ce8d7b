# Voir les events du service
aws ecs describe-services \
  --cluster my-cluster \
  --services ma-app-service \
  --query 'services[0].events[:10]'

# Vérifier les quotas Fargate
aws service-quotas get-service-quota \
  --service-code fargate \
  --quota-code L-3032A538
