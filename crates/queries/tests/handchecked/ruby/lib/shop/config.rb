module Shop # <def:Shop>
  # Limits of an order.
  module Config # <def:Config>
    MAX_LINES = 50 # <def:Config.MAX_LINES>
    CURRENCY = "EUR" # <def:Config.CURRENCY>

    def self.max_lines # <def:Config.max_lines>
      MAX_LINES # <ref:MAX_LINES=Config.MAX_LINES>
    end
  end
end
