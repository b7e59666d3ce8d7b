# Vérifier taille de l'image
docker images ma-app

# Utiliser images légères
FROM node:18-alpine  # au lieu de node:18

# Créer VPC Endpoint ECR (évite passage internet)
aws ec2 create-vpc-endpoint \
  --vpc-id vpc-xxx \
  --service-name com.amazonaws.eu-west-3.ecr.dkr \
  --vpc-endpoint-type Interface
