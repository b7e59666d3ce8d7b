# Option 1: Utiliser un nouveau tag
docker tag ma-app:latest ECR_URI:v1.0.1

# Option 2: Désactiver immutability (pas recommandé prod)
aws ecr put-image-tag-mutability \
  --repository-name ma-app \
  --image-tag-mutability MUTABLE
