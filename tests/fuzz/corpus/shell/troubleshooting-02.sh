# Créer le repository
aws ecr create-repository \
  --repository-name ma-app \
  --region eu-west-3
