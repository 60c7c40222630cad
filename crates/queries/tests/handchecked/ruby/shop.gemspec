Gem::Specification.new do |s|
  s.name = "shop"
  s.version = "0.1.0"
  s.files = Dir["lib/**/*.rb"]
end
