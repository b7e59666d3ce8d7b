# 1. Tester localement
docker run -p 3000:3000 ma-app
curl http://localhost:3000/health

# 2. Vérifier la config dans Task Definition
"healthCheck": {
  "command": ["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"],
  "interval": 30,
  "timeout": 5,
  "retries": 3,
  "startPeriod": 60  # Augmenter si app lente à démarrer
}
