aws ecss list-clusters
